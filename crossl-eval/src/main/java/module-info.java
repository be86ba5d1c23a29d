/**
 * CroSSL evaluation: downstream heads on a pretrained model (linear probe, fine-tuning, and
 * classifiers that are saved and predict), classification metrics, the evaluation protocol of
 * {@code crossl evaluate} with its reports, and its charts.
 */
module org.crossl.eval {
    requires transitive org.crossl.core;
    requires org.crossl.nn;
    requires org.slf4j;
    requires org.knowm.xchart;
    requires java.desktop; // ImageIO and Java2D under XChart's PNG export (headless)

    exports org.crossl.eval;
    exports org.crossl.eval.heads;
    exports org.crossl.eval.charts;

    uses org.crossl.eval.EvaluationEngine;

    opens org.crossl.eval to com.fasterxml.jackson.databind, com.google.guice;
    opens org.crossl.eval.heads to com.fasterxml.jackson.databind;
}
