/** Differentiable building blocks with hand-written backward passes, for component authors. */
module org.crossl.nn {
    requires transitive org.crossl.api;
    requires org.bytedeco.dnnl;
    // optional: the fused LayerNorm/PReLU/dropout kernel uses it when the JVM adds the module
    requires static jdk.incubator.vector;

    exports org.crossl.nn;
    exports org.crossl.nn.profile;
    exports org.crossl.nn.check;
    exports org.crossl.nn.autodiff;
}
