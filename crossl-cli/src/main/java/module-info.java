/** The {@code crossl} command line. Knows every module: the only place that does. */
module org.crossl.cli {
    requires org.crossl.core;
    requires org.crossl.eval;
    requires info.picocli;

    opens org.crossl.cli to info.picocli;
}
