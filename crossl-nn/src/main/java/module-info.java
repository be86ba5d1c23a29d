/** Differentiable building blocks with hand-written backward passes, for component authors. */
module org.crossl.nn {
    requires transitive org.crossl.api;
    requires org.bytedeco.dnnl;

    exports org.crossl.nn;
    exports org.crossl.nn.check;
}
