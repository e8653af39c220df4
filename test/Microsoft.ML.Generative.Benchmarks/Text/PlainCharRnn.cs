using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// A plain character LSTM written directly on TorchSharp, independent of the library (the reference the library's
/// CharRnn must not fall below): token embedding, a multi-layer LSTM (batch first, dropout between layers), dropout,
/// and a linear head to the vocabulary's logits. TorchSharp's default initialisations (PyTorch's).
/// </summary>
internal sealed class PlainCharLstm : nn.Module
{
    private readonly Embedding embedding;
    private readonly LSTM lstm;
    private readonly Dropout dropout;
    private readonly Linear head;

    public PlainCharLstm(int vocabularySize, PlainCharLstmOptions options) : base(nameof(PlainCharLstm))
    {
        embedding = nn.Embedding(vocabularySize, options.EmbeddingSize);
        lstm = nn.LSTM(options.EmbeddingSize, options.HiddenSize, numLayers: options.Layers, batchFirst: true,
            dropout: options.Layers > 1 ? options.Dropout : 0);
        dropout = nn.Dropout(options.Dropout);
        head = nn.Linear(options.HiddenSize, vocabularySize);
        RegisterComponents();
    }

    /// <summary>Logits [batch, time, vocabulary] for token ids [batch, time], and the final (h, c) state.</summary>
    /// <param name="state">The (h, c) state to start from, each [layers, batch, hidden]; null = zeros.</param>
    public (Tensor logits, (Tensor h, Tensor c) state) Forward(Tensor tokens, (Tensor h, Tensor c)? state)
    {
        var (output, h, c) = lstm.call(embedding.call(tokens), state);
        return (head.call(dropout.call(output)), (h, c));
    }
}
