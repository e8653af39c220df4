using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// A plain character LSTM or GRU written directly on TorchSharp, independent of the library (the baseline the
/// library's CharRnn is compared with): token embedding, a multi-layer LSTM or GRU (batch first, dropout between
/// layers), dropout, and a linear head to the vocabulary's logits. TorchSharp's default initialisations (PyTorch's).
/// Unlike the library's <c>CharRnnNetwork</c>, no dropout on the embeddings (docs/BENCHMARKS.md, section 6, says what
/// that difference does and does not explain).
/// </summary>
internal sealed class PlainCharRnn : nn.Module
{
    private readonly Embedding embedding;
    private readonly LSTM lstm;   // exactly one of lstm and gru exists
    private readonly GRU gru;
    private readonly Dropout dropout;
    private readonly Linear head;

    public PlainCharRnn(int vocabularySize, CharLmRecipe recipe) : base(nameof(PlainCharRnn))
    {
        embedding = nn.Embedding(vocabularySize, recipe.EmbeddingSize);
        double between = recipe.Layers > 1 ? recipe.Dropout : 0;
        switch (recipe.Cell)
        {
            case CharRnnCellType.Lstm:
                lstm = nn.LSTM(recipe.EmbeddingSize, recipe.HiddenSize, numLayers: recipe.Layers, batchFirst: true, dropout: between);
                break;
            case CharRnnCellType.Gru:
                gru = nn.GRU(recipe.EmbeddingSize, recipe.HiddenSize, numLayers: recipe.Layers, batchFirst: true, dropout: between);
                break;
            default:
                throw new ArgumentException($"The plain loop has LSTM and GRU cells, not {recipe.Cell}.");
        }
        dropout = nn.Dropout(recipe.Dropout);
        head = nn.Linear(recipe.HiddenSize, vocabularySize);
        RegisterComponents();
    }

    /// <summary>Logits [batch, time, vocabulary] for token ids [batch, time], and the final state.</summary>
    /// <param name="state">The state to start from; null = zeros.</param>
    public (Tensor logits, State state) Forward(Tensor tokens, State state)
    {
        var x = embedding.call(tokens);
        Tensor output;
        State next;
        if (lstm is not null)
        {
            var (o, h, c) = lstm.call(x, state is null ? null : (state.H, state.C));
            (output, next) = (o, new State(h, c));
        }
        else
        {
            var (o, h) = gru.call(x, state?.H);
            (output, next) = (o, new State(h, null));
        }
        return (head.call(dropout.call(output)), next);
    }

    /// <summary>The recurrent state carried between calls: h [layers, batch, hidden], and c for an LSTM (null for a GRU).</summary>
    public sealed record State(Tensor H, Tensor C) : IDisposable
    {
        /// <summary>The same values cut from the autograd graph and moved out of the current dispose scope (truncated BPTT).</summary>
        public State Detached() => new(H.detach().DetachFromDisposeScope(), C?.detach().DetachFromDisposeScope());

        public void Dispose()
        {
            H.Dispose();
            C?.Dispose();
        }
    }
}
