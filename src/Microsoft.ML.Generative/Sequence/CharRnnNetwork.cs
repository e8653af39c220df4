using System;
using System.Linq;
using Microsoft.ML.Generative.NativeKernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>
    /// A character-level language model: p(x_k | x_&lt;k) = softmax(W h_k + b), h_k = f(embed(x_k), h_(k-1)), with f a
    /// stacked LSTM, GRU or tanh RNN. Knows nothing of ML.NET: ids in, logits and state out.
    /// </summary>
    /// <remarks>
    /// On the CPU, every LSTM call's shape (batch size, sequence length up to a few steps, with or without autograd,
    /// dropout and threads: <see cref="LstmShape"/>) is checked once per process against float64
    /// (<see cref="FusedLstmCheck"/>); a shape whose fused kernel is wrong runs step by step from the same parameters
    /// (<see cref="StepwiseLstm"/>) and is noted in <see cref="KernelFallbacks"/>.
    /// </remarks>
    internal sealed class CharRnnNetwork : nn.Module, IKernelFallbackSource
    {
        private readonly Embedding embedding;
        private readonly nn.Module rnn;
        private readonly Dropout dropout;
        private readonly Linear head;
        private readonly Parameter learnedState;     // [layers, 1, parts * hidden] (Learned)
        private readonly Linear conditionToState;     // condition -> layers * parts * hidden (Condition)

        public CharRnnNetwork(CharRnnArchitecture architecture) : base(nameof(CharRnnNetwork))
        {
            architecture.Validate();
            Architecture = architecture;
            var a = architecture;
            embedding = nn.Embedding(a.VocabularySize, a.EmbeddingSize);
            double between = a.Layers > 1 ? a.Dropout : 0; // dropout between stacked layers
            rnn = a.CellType switch
            {
                CharRnnCellType.Lstm => nn.LSTM(a.EmbeddingSize, a.HiddenSize, a.Layers, batchFirst: true, dropout: between),
                CharRnnCellType.Gru => nn.GRU(a.EmbeddingSize, a.HiddenSize, a.Layers, batchFirst: true, dropout: between),
                _ => nn.RNN(a.EmbeddingSize, a.HiddenSize, a.Layers, nn.NonLinearities.Tanh, batchFirst: true, dropout: between),
            };
            dropout = nn.Dropout(a.Dropout);
            head = nn.Linear(a.HiddenSize, a.VocabularySize);
            if (a.InitialState == CharRnnInitialState.Learned)
                learnedState = nn.Parameter(zeros(a.Layers, 1, a.StateParts * a.HiddenSize));
            if (a.InitialState == CharRnnInitialState.Condition)
                conditionToState = nn.Linear(a.ConditionSize, a.Layers * a.StateParts * a.HiddenSize);
            RegisterComponents();
        }

        public CharRnnArchitecture Architecture { get; }

        /// <summary>The LSTM shapes this network has run step by step because the fused kernel failed its check.</summary>
        public KernelFallbackLog KernelFallbacks { get; } = new();

        /// <summary>h0 (and c0) for <paramref name="batch"/> rows; <paramref name="condition"/> [batch, ConditionSize] in Condition mode.</summary>
        public RecurrentState InitialState(long batch, Tensor condition = null)
        {
            var a = Architecture;
            var device = head.weight.device;
            Tensor packed; // [layers, batch, parts * hidden]
            switch (a.InitialState)
            {
                case CharRnnInitialState.Learned:
                    packed = learnedState.expand(a.Layers, batch, a.StateParts * a.HiddenSize);
                    break;
                case CharRnnInitialState.Condition:
                    if (condition is null || condition.ndim != 2 || condition.shape[0] != batch || condition.shape[1] != a.ConditionSize)
                        throw new ArgumentException($"Expected a condition tensor of shape [{batch}, {a.ConditionSize}].", nameof(condition));
                    packed = tanh(conditionToState.forward(condition)).view(batch, a.Layers, a.StateParts * a.HiddenSize).permute(1, 0, 2);
                    break;
                default:
                    packed = zeros(new long[] { a.Layers, batch, a.StateParts * a.HiddenSize }, device: device);
                    break;
            }
            if (a.StateParts == 1) return new RecurrentState(packed.contiguous(), null);
            var parts = packed.chunk(2, 2);
            return new RecurrentState(parts[0].contiguous(), parts[1].contiguous());
        }

        /// <summary>
        /// Reads <paramref name="ids"/> [batch, time] (int64) from <paramref name="state"/>. Returns the next-character
        /// logits [batch, time, vocabulary], the top layer's hidden output [batch, time, hidden], and the final state.
        /// </summary>
        public (Tensor logits, Tensor topHidden, RecurrentState state) Run(Tensor ids, RecurrentState state)
        {
            if (ids.ndim != 2) throw new ArgumentException($"Expected ids of shape [batch, time], got [{string.Join(", ", ids.shape)}].", nameof(ids));
            if (state.BatchSize != ids.shape[0]) throw new ArgumentException($"The state has {state.BatchSize} rows; the ids have {ids.shape[0]}.", nameof(state));
            var x = dropout.forward(embedding.forward(ids));
            Tensor output;
            RecurrentState next;
            switch (rnn)
            {
                case LSTM lstm:
                    // The parameters stay in the fused module on either path, so the saved state is the same on every CPU.
                    var (o, h, c) = NeedsStepwiseLstm(lstm, x)
                        ? StepwiseLstm.Forward(lstm.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter),
                            Architecture.Layers, Architecture.Layers > 1 ? Architecture.Dropout : 0, lstm.training, x, state.Hidden, state.Cell)
                        : lstm.forward(x, (state.Hidden, state.Cell));
                    output = o;
                    next = new RecurrentState(h, c);
                    break;
                case GRU gru:
                    var (og, hg) = gru.forward(x, state.Hidden);
                    output = og;
                    next = new RecurrentState(hg, null);
                    break;
                case RNN plain:
                    var (or, hr) = plain.forward(x, state.Hidden);
                    output = or;
                    next = new RecurrentState(hr, null);
                    break;
                default:
                    throw new InvalidOperationException("Unknown recurrent module.");
            }
            return (head.forward(dropout.forward(output)), output, next);
        }

        /// <summary>True when this call's shape failed the fused kernel's check (float32 on the CPU only: oneDNN runs there).</summary>
        private bool NeedsStepwiseLstm(LSTM lstm, Tensor x)
        {
            if (x.device_type != DeviceType.CPU || x.dtype != ScalarType.Float32 || x.shape[0] == 0 || x.shape[1] == 0) return false;
            var a = Architecture;
            var shape = LstmShape.Of(x, a.HiddenSize, a.Layers, a.Dropout, lstm.training);
            if (FusedLstmCheck.IsCorrect(lstm, shape)) return false;
            KernelFallbacks.Record(new KernelFallback(FusedLstmCheck.Fused.Kernel, shape.ToString(), FusedLstmCheck.FallbackDescription));
            return true;
        }
    }
}
