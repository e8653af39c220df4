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
    /// The epoch loop shared by every model family: AdamW with optional cosine decay, gradient clipping by global norm,
    /// skipping of steps whose gradient is not finite (when clipping), optional weight averaging, validation after each
    /// epoch, early stopping that keeps the best weights, a time budget, divergence handling, cancellation, and
    /// per-epoch progress on an ML.NET channel. Knows nothing of model families: they supply an <see cref="ITrainingObjective"/>.
    /// </summary>
    internal sealed class TrainingLoop : IDisposable
    {
        /// <summary>Consecutive non-finite gradients after which training is treated as diverged.</summary>
        private const int MaxConsecutiveSkippedSteps = 25;

        private readonly ITrainingObjective _objective;
        private readonly TrainingSettings _settings;
        private readonly IChannel _channel;
        private readonly Action _throwIfCanceled;
        private readonly nn.Module _model;
        private readonly List<TorchSharp.Modules.Parameter> _parameters;
        private readonly optim.Optimizer _optimizer;
        private readonly ParameterAverage _average;          // null without weight averaging
        private ModelStateSnapshot _best;                    // the weights Fit returns
        private readonly List<EpochRecord> _history = new List<EpochRecord>();
        private readonly Stopwatch _budget = Stopwatch.StartNew();
        private int _bestEpoch, _epochsWithoutImprovement, _skippedSteps, _consecutiveSkipped;
        private double? _bestLoss;
        private long _step;

        private TrainingLoop(ITrainingObjective objective, TrainingSettings settings, IChannel channel, Action throwIfCanceled)
        {
            _objective = objective;
            _settings = settings;
            _channel = channel;
            _throwIfCanceled = throwIfCanceled;
            _model = objective.Model;
            _parameters = _model.parameters().Where(p => p.requires_grad).ToList();
            _optimizer = optim.AdamW(_parameters, lr: settings.LearningRate, weight_decay: settings.WeightDecay);
            _average = settings.ParameterAveragingDecay is double decay ? new ParameterAverage(_parameters, decay) : null;
            _best = ModelStateSnapshot.Capture(_model);
        }

        /// <summary>Trains <paramref name="objective"/>'s model; it ends in evaluation mode holding the best epoch's weights.</summary>
        /// <param name="objective">The model family's batches and losses.</param>
        /// <param name="settings">Optimisation settings.</param>
        /// <param name="channel">Receives progress (ML.NET's MLContext.Log shows it).</param>
        /// <param name="throwIfCanceled">Throws OperationCanceledException once the host was cancelled; called before every step.</param>
        public static TrainingSummary Run(ITrainingObjective objective, TrainingSettings settings, IChannel channel, Action throwIfCanceled)
        {
            if (NativeAllocatorTuning.EnsureApplied() is string tuned)
                channel.InfoInvariant($"{tuned}");
            objective.Initialize();
            using var loop = new TrainingLoop(objective, settings, channel, throwIfCanceled);
            return loop.Execute();
        }

        private TrainingSummary Execute()
        {
            var stopReason = TrainingStopReason.MaxEpochsReached;
            for (int epoch = 1; epoch <= _settings.MaxEpochs; epoch++)
            {
                var trained = TrainEpoch(epoch);
                if (StopBeforeValidation(epoch, trained) is TrainingStopReason stoppedEarly)
                {
                    stopReason = stoppedEarly;
                    break;
                }
                ValidateAndKeepBest(epoch, trained);
                if (StopAfterEpoch(epoch, trained) is TrainingStopReason stopped)
                {
                    stopReason = stopped;
                    break;
                }
            }

            _best.RestoreInto(_model);
            _model.eval();
            NativeKernels.KernelFallbackWarnings.LogNew(_model, _channel);
            if (_skippedSteps > 0)
                _channel.WarningInvariant($"{_skippedSteps} optimizer step(s) were skipped because their gradient was not finite.");
            return new TrainingSummary(_history, _bestEpoch, _bestLoss, stopReason, _skippedSteps);
        }

        /// <summary>What one pass over the training batches did.</summary>
        private readonly record struct EpochTraining(double LossSum, long Items, bool Diverged, bool OutOfTime, TimeSpan Duration)
        {
            public double MeanLoss => Items > 0 ? LossSum / Items : double.NaN;
        }

        /// <summary>The optimizer steps of one epoch, until the batches, the time budget or a non-finite loss end it.</summary>
        private EpochTraining TrainEpoch(int epoch)
        {
            _model.train();
            _objective.StartEpoch(epoch);
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            long items = 0;
            for (int b = 0; b < _objective.BatchesPerEpoch; b++)
            {
                _throwIfCanceled();
                if (_settings.MaxTrainingTime is TimeSpan limit && _budget.Elapsed >= limit)
                    return new EpochTraining(lossSum, items, Diverged: false, OutOfTime: true, clock.Elapsed);
                SetLearningRate();
                using var scope = NewDisposeScope();
                _optimizer.zero_grad();
                var (loss, batchItems) = _objective.TrainingBatch(b);
                float value = loss.item<float>();
                if (!float.IsFinite(value))
                    return new EpochTraining(lossSum, items, Diverged: true, OutOfTime: false, clock.Elapsed);
                loss.backward();
                // Clipping computes the global gradient norm anyway, so checking it for NaN/Inf is free. Without
                // clipping the check is skipped (it would cost a reduction per parameter per step): a NaN that
                // reaches the weights then shows up as a non-finite loss on the next batch, which stops training
                // with the best weights.
                double norm = _settings.GradientClipNorm > 0 ? nn.utils.clip_grad_norm_(_parameters, _settings.GradientClipNorm) : 0;
                if (!double.IsFinite(norm))
                {
                    // A non-finite gradient (see docs: small oneDNN convolutions) must not reach the weights.
                    _skippedSteps++;
                    if (++_consecutiveSkipped >= MaxConsecutiveSkippedSteps)
                        return new EpochTraining(lossSum, items, Diverged: true, OutOfTime: false, clock.Elapsed);
                    continue;
                }
                _consecutiveSkipped = 0;
                _optimizer.step();
                _average?.Update();
                lossSum += value * (double)batchItems;
                items += batchItems;
            }
            return new EpochTraining(lossSum, items, Diverged: false, OutOfTime: false, clock.Elapsed);
        }

        /// <summary>A reason to stop before validating: the loss diverged, or the budget ran out before any step of the epoch.</summary>
        private TrainingStopReason? StopBeforeValidation(int epoch, EpochTraining trained)
        {
            if (trained.Diverged)
            {
                string kept = _bestEpoch == 0 ? "the initial weights: no epoch completed" : FormattableString.Invariant($"best monitored loss {_bestLoss:F4}");
                _channel.WarningInvariant($"Epoch {epoch}: the training loss became NaN or infinite. Training stopped; the model keeps the weights of epoch {_bestEpoch} ({kept}). Try a lower LearningRate or a smaller GradientClipNorm.");
                return TrainingStopReason.Diverged;
            }
            if (trained.OutOfTime && trained.Items == 0)
            {
                _channel.InfoInvariant($"Training time limit {_settings.MaxTrainingTime:g} reached before epoch {epoch}; keeping the weights of epoch {_bestEpoch}.");
                return TrainingStopReason.TimeLimitReached;
            }
            return null;
        }

        /// <summary>
        /// Validates the epoch's weights (the averaged ones with weight averaging), keeps a copy when they are the best so
        /// far, records the epoch and logs it.
        /// </summary>
        private void ValidateAndKeepBest(int epoch, EpochTraining trained)
        {
            double trainLoss = trained.MeanLoss;
            double? validationLoss;
            bool improved;
            _model.eval();
            using (_average?.SwapIn())
            {
                using (no_grad())
                using (NewDisposeScope())
                    validationLoss = _objective.ValidationLoss();
                double monitored = validationLoss ?? trainLoss;
                improved = double.IsFinite(monitored) && (_bestLoss is null || monitored < _bestLoss.Value);
                if (improved)
                {
                    _bestLoss = monitored;
                    _bestEpoch = epoch;
                    _epochsWithoutImprovement = 0;
                    _best.Dispose();
                    _best = ModelStateSnapshot.Capture(_model);
                }
                else
                    _epochsWithoutImprovement++;
            }
            double seconds = trained.Duration.TotalSeconds;
            double throughput = trained.Items / Math.Max(seconds, 1e-9);
            _history.Add(new EpochRecord(epoch, trainLoss, validationLoss, seconds, throughput));
            string validation = validationLoss is double v ? FormattableString.Invariant($", validation loss {v:F4}") : "";
            _channel.InfoInvariant($"Epoch {epoch}/{_settings.MaxEpochs}: training loss {trainLoss:F4}{validation}{(improved ? " (best)" : "")}, {throughput:F0} {_objective.ItemName}/s, {seconds:F1}s");
            NativeKernels.KernelFallbackWarnings.LogNew(_model, _channel); // shapes this epoch computed through a kernel fallback
        }

        /// <summary>A reason to stop after a validated epoch: the time budget is used up, or early stopping's patience ran out.</summary>
        private TrainingStopReason? StopAfterEpoch(int epoch, EpochTraining trained)
        {
            if (trained.OutOfTime || (_settings.MaxTrainingTime is TimeSpan limit && _budget.Elapsed >= limit))
            {
                _channel.InfoInvariant($"Training time limit {_settings.MaxTrainingTime:g} reached during epoch {epoch}; keeping the weights of epoch {_bestEpoch}.");
                return TrainingStopReason.TimeLimitReached;
            }
            if (_settings.EarlyStoppingPatience > 0 && _epochsWithoutImprovement >= _settings.EarlyStoppingPatience)
            {
                _channel.InfoInvariant($"Early stopping after epoch {epoch}: no improvement for {_epochsWithoutImprovement} epochs; keeping the weights of epoch {_bestEpoch}.");
                return TrainingStopReason.EarlyStopping;
            }
            return null;
        }

        /// <summary>Cosine decay by step (and by time, when there is a time budget): progress 0 gives the full rate, 1 the final fraction.</summary>
        private void SetLearningRate()
        {
            long step = _step++;
            double f = _settings.FinalLearningRateFraction;
            if (f >= 1.0) return;
            long totalSteps = (long)_settings.MaxEpochs * Math.Max(1, _objective.BatchesPerEpoch);
            double progress = totalSteps <= 1 ? 0 : Math.Min(1, step / (double)(totalSteps - 1));
            if (_settings.MaxTrainingTime is TimeSpan limit && limit > TimeSpan.Zero)
                progress = Math.Max(progress, Math.Min(1, _budget.Elapsed / limit));
            double lr = _settings.LearningRate * (f + (1 - f) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
            foreach (var group in _optimizer.ParamGroups)
                group.LearningRate = lr;
        }

        public void Dispose()
        {
            _best.Dispose();
            _average?.Dispose();
            _optimizer.Dispose();
        }
    }
}
