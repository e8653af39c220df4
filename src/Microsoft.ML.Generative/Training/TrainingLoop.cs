using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Training
{
    /// <summary>
    /// The epoch loop shared by every model family: AdamW with optional cosine decay, gradient clipping by global
    /// norm, skipping of steps whose gradient is not finite (when clipping), validation after each epoch, early stopping that keeps
    /// the best weights, divergence handling, cancellation, and per-epoch progress on an ML.NET channel.
    /// </summary>
    internal static class TrainingLoop
    {
        /// <summary>Consecutive non-finite gradients after which training is treated as diverged.</summary>
        private const int MaxConsecutiveSkippedSteps = 25;

        /// <param name="objective">The model family's batches and losses.</param>
        /// <param name="settings">Optimisation settings.</param>
        /// <param name="channel">Receives progress (ML.NET's MLContext.Log shows it).</param>
        /// <param name="throwIfCanceled">Throws OperationCanceledException once the host was cancelled; called before every step.</param>
        public static TrainingSummary Run(ITrainingObjective objective, TrainingSettings settings, IChannel channel, Action throwIfCanceled)
        {
            if (NativeAllocatorTuning.EnsureApplied() is string tuned)
                channel.InfoInvariant($"{tuned}");
            var model = objective.Model;
            var parameters = model.parameters().Where(p => p.requires_grad).ToList();
            using var optimizer = optim.AdamW(parameters, lr: settings.LearningRate, weight_decay: settings.WeightDecay);
            using var average = settings.ParameterAveragingDecay is double decay ? new ParameterAverage(parameters, decay) : null;

            var history = new List<EpochRecord>();
            int bestEpoch = 0, epochsWithoutImprovement = 0, skippedSteps = 0, consecutiveSkipped = 0;
            double? bestLoss = null;
            var stopReason = TrainingStopReason.MaxEpochsReached;
            using var best = new SnapshotHolder(ModelStateSnapshot.Capture(model));
            var budget = Stopwatch.StartNew();
            long step = 0;
            bool outOfTime = false;

            for (int epoch = 1; epoch <= settings.MaxEpochs; epoch++)
            {
                model.train();
                objective.StartEpoch(epoch);
                var clock = Stopwatch.StartNew();
                double lossSum = 0;
                long items = 0;
                bool diverged = false;
                for (int b = 0; b < objective.BatchesPerEpoch && !diverged; b++)
                {
                    throwIfCanceled();
                    if (settings.MaxTrainingTime is TimeSpan limit && budget.Elapsed >= limit)
                    {
                        outOfTime = true;
                        break;
                    }
                    SetLearningRate(optimizer, settings, step++, objective.BatchesPerEpoch, budget.Elapsed);
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    var (loss, batchItems) = objective.TrainingBatch(b);
                    float value = loss.item<float>();
                    if (!float.IsFinite(value))
                    {
                        diverged = true;
                        break;
                    }
                    loss.backward();
                    // Clipping computes the global gradient norm anyway, so checking it for NaN/Inf is free. Without
                    // clipping the check is skipped (it would cost a reduction per parameter per step): a NaN that
                    // reaches the weights then shows up as a non-finite loss on the next batch, which stops training
                    // with the best weights.
                    double norm = settings.GradientClipNorm > 0 ? nn.utils.clip_grad_norm_(parameters, settings.GradientClipNorm) : 0;
                    if (!double.IsFinite(norm))
                    {
                        // A non-finite gradient (see docs: small oneDNN convolutions) must not reach the weights.
                        skippedSteps++;
                        if (++consecutiveSkipped >= MaxConsecutiveSkippedSteps) diverged = true;
                        continue;
                    }
                    consecutiveSkipped = 0;
                    optimizer.step();
                    average?.Update();
                    lossSum += value * (double)batchItems;
                    items += batchItems;
                }
                clock.Stop();

                if (diverged)
                {
                    stopReason = TrainingStopReason.Diverged;
                    string kept = bestEpoch == 0 ? "the initial weights: no epoch completed" : FormattableString.Invariant($"best monitored loss {bestLoss:F4}");
                    channel.WarningInvariant($"Epoch {epoch}: the training loss became NaN or infinite. Training stopped; the model keeps the weights of epoch {bestEpoch} ({kept}). Try a lower LearningRate or a smaller GradientClipNorm.");
                    break;
                }

                if (outOfTime && items == 0)
                {
                    stopReason = TrainingStopReason.TimeLimitReached;
                    channel.InfoInvariant($"Training time limit {settings.MaxTrainingTime:g} reached before epoch {epoch}; keeping the weights of epoch {bestEpoch}.");
                    break;
                }

                double trainLoss = items > 0 ? lossSum / items : double.NaN;
                double? validationLoss;
                model.eval();
                bool improved;
                // With parameter averaging, the averaged weights are the ones validated and kept.
                using (average?.SwapIn())
                {
                    using (no_grad())
                    using (NewDisposeScope())
                        validationLoss = objective.ValidationLoss();
                    double monitored = validationLoss ?? trainLoss;
                    improved = double.IsFinite(monitored) && (bestLoss is null || monitored < bestLoss.Value);
                    if (improved)
                    {
                        bestLoss = monitored;
                        bestEpoch = epoch;
                        epochsWithoutImprovement = 0;
                        best.Replace(ModelStateSnapshot.Capture(model));
                    }
                    else
                        epochsWithoutImprovement++;
                }
                double throughput = items / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                history.Add(new EpochRecord(epoch, trainLoss, validationLoss, clock.Elapsed.TotalSeconds, throughput));

                string validation = validationLoss is double v ? FormattableString.Invariant($", validation loss {v:F4}") : "";
                channel.InfoInvariant($"Epoch {epoch}/{settings.MaxEpochs}: training loss {trainLoss:F4}{validation}{(improved ? " (best)" : "")}, {throughput:F0} {objective.ItemName}/s, {clock.Elapsed.TotalSeconds:F1}s");
                NativeKernels.KernelFallbackWarnings.LogNew(model, channel); // shapes this epoch computed through a kernel fallback

                if (outOfTime || (settings.MaxTrainingTime is TimeSpan l && budget.Elapsed >= l))
                {
                    stopReason = TrainingStopReason.TimeLimitReached;
                    channel.InfoInvariant($"Training time limit {settings.MaxTrainingTime:g} reached during epoch {epoch}; keeping the weights of epoch {bestEpoch}.");
                    break;
                }

                if (settings.EarlyStoppingPatience > 0 && epochsWithoutImprovement >= settings.EarlyStoppingPatience)
                {
                    stopReason = TrainingStopReason.EarlyStopping;
                    channel.InfoInvariant($"Early stopping after epoch {epoch}: no improvement for {epochsWithoutImprovement} epochs; keeping the weights of epoch {bestEpoch}.");
                    break;
                }
            }

            best.Snapshot.RestoreInto(model);
            model.eval();
            NativeKernels.KernelFallbackWarnings.LogNew(model, channel);
            if (skippedSteps > 0)
                channel.WarningInvariant($"{skippedSteps} optimizer step(s) were skipped because their gradient was not finite.");
            return new TrainingSummary(history, bestEpoch, bestLoss, stopReason, skippedSteps);
        }

        /// <summary>Cosine decay by step (and by time, when there is a time budget): progress 0 gives the full rate, 1 the final fraction.</summary>
        private static void SetLearningRate(optim.Optimizer optimizer, TrainingSettings settings, long step, int stepsPerEpoch, TimeSpan elapsed)
        {
            double f = settings.FinalLearningRateFraction;
            if (f >= 1.0) return;
            long totalSteps = (long)settings.MaxEpochs * Math.Max(1, stepsPerEpoch);
            double progress = totalSteps <= 1 ? 0 : Math.Min(1, step / (double)(totalSteps - 1));
            if (settings.MaxTrainingTime is TimeSpan limit && limit > TimeSpan.Zero)
                progress = Math.Max(progress, Math.Min(1, elapsed / limit));
            double lr = settings.LearningRate * (f + (1 - f) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = lr;
        }

        /// <summary>Owns the current best snapshot and disposes replaced ones.</summary>
        private sealed class SnapshotHolder : IDisposable
        {
            public SnapshotHolder(ModelStateSnapshot initial) => Snapshot = initial;
            public ModelStateSnapshot Snapshot { get; private set; }
            public void Replace(ModelStateSnapshot next) { Snapshot.Dispose(); Snapshot = next; }
            public void Dispose() => Snapshot.Dispose();
        }
    }
}
