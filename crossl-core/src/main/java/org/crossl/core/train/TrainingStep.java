package org.crossl.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crossl.api.Masker;
import org.crossl.api.SSLObjective;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.core.Seeds;
import org.crossl.core.Workspaces;
import org.crossl.core.model.CrosslModel;

/**
 * One optimiser step of pretraining on one batch: zero the gradients, draw the batch's masks and
 * dropout from the streams {@code masks/epoch<e>/batch<b>} and {@code dropout/epoch<e>/batch<b>},
 * the self-supervised forward and backward, Adam's update, and the checks that stop a diverging
 * run with an error naming the step. Every engine (the local {@link Pretrainer}, a distributed
 * one) steps through this class, so a step means the same arithmetic and the same random draws
 * wherever it runs.
 */
public final class TrainingStep {
    private static final String WORKSPACE = "crossl-train-step";
    private final CrosslModel model;
    private final Masker masker;
    private final SSLObjective objective;
    private final Adam adam;
    private final long seed;
    private final List<Parameter> params;
    private final List<String> names;

    public TrainingStep(CrosslModel model, Masker masker, SSLObjective objective, Adam adam, long seed) {
        this.model = model;
        this.masker = masker;
        this.objective = objective;
        this.adam = adam;
        this.seed = seed;
        Map<String, Parameter> named = model.namedParameters();
        this.params = new ArrayList<>(named.values());
        this.names = new ArrayList<>(named.keySet());
    }

    /**
     * Trains on {@code batch}, batch {@code batchIndex} (0-based, the name of its random streams)
     * of epoch {@code epoch}.
     *
     * @param globalStep     the 1-based number of this step over the run, for error messages
     * @param lastCheckpoint the newest checkpoint, named in error messages; null for none
     * @throws TrainingDivergedException when the loss, a term or a weight stops being finite
     */
    public CrosslModel.StepResult run(WindowBatch batch, int epoch, int batchIndex, long globalStep, String lastCheckpoint) {
        return Workspaces.run(WORKSPACE, () -> {
            adam.zeroGrad();
            Pass pass = Pass.training(Seeds.stream(seed, "dropout/epoch" + epoch + "/batch" + batchIndex));
            SplittableRandom masks = Seeds.stream(seed, "masks/epoch" + epoch + "/batch" + batchIndex);
            CrosslModel.StepResult res;
            try {
                res = model.sslStep(batch, masker, objective, pass, masks, true);
            } catch (IllegalArgumentException e) {
                if (e.getMessage() == null || !e.getMessage().contains("NaN")) {
                    throw e;
                }
                throw new TrainingDivergedException("the embeddings became NaN or infinite at epoch " + epoch + ", batch " + (batchIndex + 1)
                        + " (step " + globalStep + "): " + Pretrainer.nonFiniteInputs(batch) + Pretrainer.keptCheckpoint(lastCheckpoint), e);
            }
            Pretrainer.checkLoss(res, epoch, batchIndex + 1, globalStep, lastCheckpoint);
            adam.step();
            Pretrainer.checkWeights(params, names, epoch, batchIndex + 1, globalStep, lastCheckpoint);
            return res;
        });
    }
}
