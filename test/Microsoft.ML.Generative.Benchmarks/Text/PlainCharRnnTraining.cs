using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// The hand-written training loop of the character LSTM baseline, run for a training-time budget with validation
/// checkpoints.
/// </summary>
/// <remarks>
/// Truncated back-propagation through time over contiguous streams: at the start of every epoch the training text,
/// after a random offset in [0, SequenceLength) (from <c>new Random(seed)</c>, so chunk boundaries move between
/// epochs), is cut into BatchSize equal contiguous streams; step t feeds characters [tT, tT + T) of every stream and
/// predicts [tT + 1, tT + T + 1), starting from the (h, c) state the previous step ended in, detached (gradients stop
/// at the step boundary, the state does not). The state starts at zero at every epoch. Loss: mean cross-entropy over
/// the BatchSize x T predictions. AdamW (decoupled weight decay), gradient clipping by global L2 norm, learning rate
/// lr0 x (1 + cos(pi x t / budget)) / 2 where t is the training time spent so far (evaluation time excluded), set before
/// every step. Initialisation and dropout use <c>torch.random.manual_seed(seed)</c>.
/// </remarks>
internal static class PlainCharLstmTraining
{
    /// <summary>A validation measurement during training.</summary>
    /// <param name="TargetMinutes">The requested checkpoint; it is taken after the first step that reaches it.</param>
    /// <param name="TrainingMinutes">Training time actually spent (evaluation excluded).</param>
    /// <param name="TrainLoss">Mean training loss (nats/char, dropout active) of the steps since the previous checkpoint.</param>
    public sealed record Checkpoint(double TargetMinutes, double TrainingMinutes, long Steps, long TrainedChars, double CharsPerSecond,
        double LearningRate, double TrainLoss, CharLmScore Validation);

    /// <param name="Epochs">Epochs started (the last one usually partial).</param>
    public sealed record Outcome(IReadOnlyList<Checkpoint> Checkpoints, long Steps, long TrainedChars, double TrainingSeconds,
        double EvaluationSeconds, int Epochs, int StepsPerEpoch, long Parameters, PlainCharLstmScorer Scorer);

    public static Outcome Run(string trainText, CharLmValidation validation, PlainCharLstmOptions o, double minutes,
        IReadOnlyList<double> checkpointMinutes, int seed, Action<Checkpoint> onCheckpoint)
    {
        var vocabulary = new CharVocabulary(trainText);
        long[] ids = vocabulary.Encode(trainText);
        int batch = o.BatchSize, steps = o.SequenceLength, v = vocabulary.Size;
        int streamLength = (ids.Length - steps) / batch; // the largest epoch offset still leaves this much per stream
        int stepsPerEpoch = (streamLength - 1) / steps;
        if (stepsPerEpoch < 1) throw new ArgumentException("The training text is too short for BatchSize x SequenceLength.");

        random.manual_seed(seed);
        var model = new PlainCharLstm(v, o);
        var parameters = model.parameters().ToList();
        long parameterCount = parameters.Sum(p => p.numel());
        using var optimizer = optim.AdamW(parameters, lr: o.LearningRate, weight_decay: o.WeightDecay);
        var scorer = new PlainCharLstmScorer(model, vocabulary, o.EvaluationBatchSize, "char-LSTM (plain TorchSharp)");

        var rng = new Random(seed);
        var budget = TimeSpan.FromMinutes(minutes);
        var pending = new Queue<double>(checkpointMinutes.OrderBy(m => m));
        var checkpoints = new List<Checkpoint>();
        var training = new Stopwatch();
        double evaluationSeconds = 0, lossSum = 0, learningRate = o.LearningRate;
        long stepCount = 0, chars = 0;
        int lossCount = 0, epochs = 0, stepInEpoch = stepsPerEpoch, offset = 0;
        var buffer = new long[batch * (steps + 1)];
        Tensor h = null, c = null;
        model.train();
        while (training.Elapsed < budget)
        {
            training.Start();
            if (stepInEpoch == stepsPerEpoch)
            {
                epochs++;
                stepInEpoch = 0;
                offset = rng.Next(steps);
                h?.Dispose();
                c?.Dispose();
                h = c = null;
            }
            for (int s = 0; s < batch; s++)
                Array.Copy(ids, offset + s * streamLength + stepInEpoch * steps, buffer, s * (steps + 1), steps + 1);

            learningRate = o.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, training.Elapsed / budget)));
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            Tensor nextH, nextC;
            using (var scope = NewDisposeScope())
            {
                var tokens = tensor(buffer, new long[] { batch, steps + 1 });
                var (logits, state) = model.Forward(tokens.narrow(1, 0, steps), h is null ? null : (h, c));
                var loss = nn.functional.cross_entropy(logits.reshape(-1, v), tokens.narrow(1, 1, steps).reshape(-1));
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, o.GradientClipNorm);
                optimizer.step();
                lossSum += loss.item<float>();
                lossCount++;
                nextH = state.h.detach().DetachFromDisposeScope();
                nextC = state.c.detach().DetachFromDisposeScope();
            }
            h?.Dispose();
            c?.Dispose();
            (h, c) = (nextH, nextC);
            stepInEpoch++;
            stepCount++;
            chars += (long)batch * steps;
            training.Stop();

            while (pending.Count > 0 && training.Elapsed.TotalMinutes >= pending.Peek())
            {
                var evaluation = Stopwatch.StartNew();
                var score = validation.Evaluate(scorer);
                evaluationSeconds += evaluation.Elapsed.TotalSeconds;
                var checkpoint = new Checkpoint(pending.Dequeue(), training.Elapsed.TotalMinutes, stepCount, chars, chars / training.Elapsed.TotalSeconds,
                    learningRate, lossSum / Math.Max(1, lossCount), score);
                lossSum = 0;
                lossCount = 0;
                checkpoints.Add(checkpoint);
                onCheckpoint?.Invoke(checkpoint);
            }
        }
        h?.Dispose();
        c?.Dispose();
        return new Outcome(checkpoints, stepCount, chars, training.Elapsed.TotalSeconds, evaluationSeconds, epochs, stepsPerEpoch, parameterCount, scorer);
    }
}
