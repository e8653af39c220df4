using System.Diagnostics;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// The hand-written training loop of the character RNN baseline, for one training-time budget, with model selection on
/// a validation text; independent of the library's training code.
/// </summary>
/// <remarks>
/// Truncated back-propagation through time over contiguous segments: at the start of every epoch the training text,
/// after a random offset in [0, SequenceLength) (from <c>new Random(seed)</c>, so chunk boundaries move between
/// epochs), is cut into BatchSize equal contiguous segments; step t feeds characters [tT, tT + T) of every segment and
/// predicts [tT + 1, tT + T + 1), starting from the state the previous step ended in, detached (gradients stop at the
/// step boundary, the state does not). The state starts at zero at every epoch. Loss: mean cross-entropy over the
/// BatchSize x T predictions. AdamW (decoupled weight decay), gradient clipping by global L2 norm, learning rate
/// lr0 x (1 + cos(pi x t / budget)) / 2 set before every step, where t is the time since the run started.
/// <para>
/// The protocol mirrors Fit's time budget, not its code: the budget is wall-clock time including the validation
/// passes; the validation text is scored (<see cref="CharLmValidation"/>) after every epoch and once more when the
/// budget ends mid-epoch; the weights with the lowest validation loss are kept (the initial ones if no epoch was
/// validated). Initialisation and dropout use <c>torch.random.manual_seed(seed)</c>.
/// </para>
/// </remarks>
internal static class PlainCharRnnTraining
{
    /// <summary>What one run did; <see cref="Scorer"/> holds the kept (best) weights and must be disposed.</summary>
    /// <param name="Epochs">Epochs started (the last one usually partial).</param>
    /// <param name="BestEpoch">The epoch whose weights were kept; 0 = the initial weights.</param>
    /// <param name="TrainingSeconds">Time spent in training steps, validation excluded (for the throughput).</param>
    public sealed record Outcome(int Epochs, int BestEpoch, double BestValidationNatsPerChar, long Steps, long TrainedChars,
        double TrainingSeconds, double ValidationSeconds, int StepsPerEpoch, long Parameters, PlainCharRnnScorer Scorer)
    {
        public double CharsPerSecond => TrainedChars / Math.Max(TrainingSeconds, 1e-9);
    }

    private const int EvaluationBatchSize = 64;

    public static Outcome Run(string trainText, CharLmValidation validation, CharLmRecipe r, double minutes, int seed, Action<string> log)
    {
        var vocabulary = new CharVocabulary(trainText);
        long[] ids = vocabulary.Encode(trainText);
        int batch = r.BatchSize, steps = r.SequenceLength, v = vocabulary.Size;
        int segmentLength = (ids.Length - steps) / batch; // the largest epoch offset still leaves this much per segment
        int stepsPerEpoch = (segmentLength - 1) / steps;
        if (stepsPerEpoch < 1) throw new ArgumentException("The training text is too short for BatchSize x SequenceLength.");

        random.manual_seed(seed);
        var model = new PlainCharRnn(v, r);
        var scorer = new PlainCharRnnScorer(model, vocabulary, EvaluationBatchSize, $"plain char-{r.Cell.ToString().ToUpperInvariant()}");
        try
        {
            var parameters = model.parameters().ToList();
            long parameterCount = parameters.Sum(p => p.numel());
            using var optimizer = optim.AdamW(parameters, lr: r.LearningRate, weight_decay: r.WeightDecay);
            using var best = new WeightCopy(parameters);

            var rng = new Random(seed);
            var budget = TimeSpan.FromMinutes(minutes);
            var wall = Stopwatch.StartNew();
            var training = new Stopwatch();
            double validationSeconds = 0, bestNats = double.PositiveInfinity;
            long stepCount = 0, chars = 0;
            int epochs = 0, bestEpoch = 0;
            var buffer = new long[batch * (steps + 1)];
            while (wall.Elapsed < budget)
            {
                epochs++;
                int offset = rng.Next(steps);
                PlainCharRnn.State state = null;
                double lossSum = 0;
                int stepsDone = 0;
                model.train();
                for (int step = 0; step < stepsPerEpoch && wall.Elapsed < budget; step++)
                {
                    training.Start();
                    for (int s = 0; s < batch; s++)
                        Array.Copy(ids, offset + s * segmentLength + step * steps, buffer, s * (steps + 1), steps + 1);
                    double learningRate = r.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, wall.Elapsed / budget)));
                    foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
                    PlainCharRnn.State next;
                    using (NewDisposeScope())
                    {
                        var tokens = tensor(buffer, new long[] { batch, steps + 1 });
                        var (logits, end) = model.Forward(tokens.narrow(1, 0, steps), state);
                        var loss = nn.functional.cross_entropy(logits.reshape(-1, v), tokens.narrow(1, 1, steps).reshape(-1));
                        optimizer.zero_grad();
                        loss.backward();
                        nn.utils.clip_grad_norm_(parameters, r.GradientClipNorm);
                        optimizer.step();
                        lossSum += loss.item<float>();
                        next = end.Detached();
                    }
                    state?.Dispose();
                    state = next;
                    stepsDone++;
                    stepCount++;
                    chars += (long)batch * steps;
                    training.Stop();
                }
                state?.Dispose();
                if (stepsDone == 0) break;

                var score = validation.Evaluate(scorer);
                validationSeconds += score.Seconds;
                bool improved = score.NatsPerChar < bestNats;
                if (improved)
                {
                    bestNats = score.NatsPerChar;
                    bestEpoch = epochs;
                    best.CopyFrom(parameters);
                }
                log?.Invoke($"epoch {epochs} ({stepsDone}/{stepsPerEpoch} steps): train loss {lossSum / stepsDone:F4}, validation {score.NatsPerChar:F4} nats/char{(improved ? " (best)" : "")}, {chars / training.Elapsed.TotalSeconds:N0} chars/s, {wall.Elapsed.TotalMinutes:F2} min");
            }
            best.CopyTo(parameters);
            model.eval();
            return new Outcome(epochs, bestEpoch, bestNats, stepCount, chars, training.Elapsed.TotalSeconds, validationSeconds,
                stepsPerEpoch, parameterCount, scorer);
        }
        catch
        {
            scorer.Dispose();
            throw;
        }
    }
}
