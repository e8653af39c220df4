using System.Globalization;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// The hyper-parameters of a character language model that the plain loop and Fit share: the hand-written loop reads
/// them directly (<see cref="PlainCharRnnTraining"/>), Fit gets them as <c>CharRnnOptions</c>
/// (<see cref="CharRnnLanguageModelRun.Options"/>), so the two sides of a comparison cannot drift apart. The defaults
/// are the documented tiny-shakespeare recipe (docs/BENCHMARKS.md, section 6). On the command line,
/// <c>--recipe "Name=Value;..."</c> changes both sides, <c>--plain</c> the plain loop only.
/// </summary>
internal sealed class CharLmRecipe
{
    /// <summary>LSTM or GRU (the plain loop has no plain tanh RNN).</summary>
    public CharRnnCellType Cell { get; set; } = CharRnnCellType.Gru;

    public int EmbeddingSize { get; set; } = 64;
    public int HiddenSize { get; set; } = 384;
    public int Layers { get; set; } = 2;

    /// <summary>Dropout between the recurrent layers and on the last layer's output before the softmax head.</summary>
    public double Dropout { get; set; } = 0.1;

    /// <summary>Parallel contiguous segments of the text per step (the batch).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Characters per segment per step: the truncated back-propagation-through-time length.</summary>
    public int SequenceLength { get; set; } = 128;

    /// <summary>Peak AdamW learning rate, decayed by a cosine over the training-time budget (no warm-up).</summary>
    public double LearningRate { get; set; } = 3e-3;

    /// <summary>AdamW's decoupled weight decay, on every parameter.</summary>
    public double WeightDecay { get; set; } = 0.3;

    /// <summary>Gradients are rescaled when their global L2 norm exceeds this.</summary>
    public double GradientClipNorm { get; set; } = 1.0;

    public CharLmRecipe Clone() => (CharLmRecipe)MemberwiseClone();

    /// <summary>"GRU 2 x 384, embedding 64, ..." for reports.</summary>
    public string Describe()
        => string.Create(CultureInfo.InvariantCulture,
            $"{Cell.ToString().ToUpperInvariant()} {Layers} x {HiddenSize}, embedding {EmbeddingSize}, dropout {Dropout}, {BatchSize} segments x {SequenceLength} characters, AdamW {LearningRate} (weight decay {WeightDecay}), cosine decay over the budget, clipping {GradientClipNorm}");
}
