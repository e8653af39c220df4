using System;
using Microsoft.ML.Generative.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>
    /// What both context modes share: the mean negative log-likelihood per character of a window, with teacher forcing
    /// (one fused call) or scheduled sampling (one call per time step, feeding some rows the model's own sample).
    /// </summary>
    internal abstract class CharRnnObjective : ITrainingObjective, IDisposable
    {
        /// <summary>Target id of positions that are padding: excluded from the loss.</summary>
        protected const long Ignore = -100;

        private readonly ScheduledSampling _schedule;
        private readonly double _scheduleParameter;
        private readonly double _maxSamplingProbability;
        private readonly Generator _sampling;
        private long _step;

        protected CharRnnObjective(CharRnnNetwork network, ScheduledSampling schedule, double scheduleParameter, double maxSamplingProbability, int seed)
        {
            Network = network;
            _schedule = schedule;
            _scheduleParameter = scheduleParameter;
            _maxSamplingProbability = maxSamplingProbability;
            _sampling = new Generator((ulong)seed + 0x51ED27UL, CPU);
            Device = network.parameters().GetEnumerator() is var e && e.MoveNext() ? e.Current.device : CPU;
        }

        protected CharRnnNetwork Network { get; }
        protected Device Device { get; }

        public nn.Module Model => Network;
        public abstract int BatchesPerEpoch { get; }
        public string ItemName => "characters";
        public abstract void StartEpoch(int epoch);
        public abstract (Tensor loss, long items) TrainingBatch(int batch);
        public abstract double? ValidationLoss();

        /// <summary>
        /// Mean NLL over the non-ignored targets of a [rows, steps] window read from <paramref name="state"/>; returns
        /// the final state (still attached to the graph: callers detach it before carrying it on).
        /// </summary>
        protected (Tensor loss, long items, RecurrentState next) WindowLoss(long[] inputs, long[] targets, int rows, int steps, RecurrentState state)
        {
            long items = 0;
            foreach (long t in targets) if (t != Ignore) items++;
            var target = tensor(targets, new long[] { rows * steps }).to(Device);
            var ids = tensor(inputs, new long[] { rows, steps }).to(Device);
            double p = Network.training ? ScheduledSamplingMath.SamplingProbability(_schedule, _scheduleParameter, _step, _maxSamplingProbability) : 0;
            if (Network.training) _step++;
            Tensor logits;
            RecurrentState next;
            if (p <= 0)
                (logits, _, next) = Network.Run(ids, state);
            else
                (logits, next) = RunWithSampling(ids, state, p);
            var loss = nn.functional.cross_entropy(logits.reshape(rows * steps, -1), target, ignore_index: Ignore, reduction: nn.Reduction.Sum) / Math.Max(1, items);
            return (loss, items, next);
        }

        /// <summary>Step by step: from the second step of the window on, each row reads its own previous sample with probability p.</summary>
        private (Tensor logits, RecurrentState next) RunWithSampling(Tensor ids, RecurrentState state, double p)
        {
            long rows = ids.shape[0], steps = ids.shape[1];
            var outputs = new Tensor[steps];
            Tensor previousSample = null;
            for (long t = 0; t < steps; t++)
            {
                var input = ids.narrow(1, t, 1);
                if (previousSample is not null)
                {
                    var useSample = rand(new long[] { rows, 1 }, generator: _sampling).lt(p).to(Device);
                    input = where(useSample, previousSample, input);
                }
                var (logits, _, after) = Network.Run(input, state);
                state = after;
                outputs[t] = logits;
                using (no_grad())
                    previousSample = multinomial(nn.functional.softmax(logits.squeeze(1).detach().cpu().to(float64), 1), 1, generator: _sampling).to(Device);
            }
            return (cat(outputs, 1), state);
        }

        /// <summary>The state carried over from the previous window (truncated BPTT), without autograd history; null at the start.</summary>
        protected RecurrentState Carried { get; private set; }

        /// <summary>Keeps <paramref name="next"/>, detached from the graph and the dispose scope, as <see cref="Carried"/>.</summary>
        protected void Carry(RecurrentState next)
        {
            var detached = next.Detach().DetachFromDisposeScope();
            ReleaseCarried();
            Carried = detached;
        }

        /// <summary>Drops the carried state: the next window starts from the initial state.</summary>
        protected void ReleaseCarried()
        {
            Carried?.Dispose();
            Carried = null;
        }

        public virtual void Dispose()
        {
            ReleaseCarried();
            _sampling.Dispose();
        }
    }
}
