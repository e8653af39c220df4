namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// Settings of the hand-written character LSTM baseline; the defaults are the reference configuration of the text-lm
/// benchmark. Any property can be changed from the command line with <c>--lstm "Name=Value;..."</c>, which the report
/// then marks as a departure from the reference.
/// </summary>
internal sealed class PlainCharLstmOptions
{
    public int EmbeddingSize { get; set; } = 64;
    public int HiddenSize { get; set; } = 384;
    public int Layers { get; set; } = 2;

    /// <summary>Dropout between the LSTM layers and on the last layer's output before the softmax head.</summary>
    public double Dropout { get; set; } = 0.1;

    /// <summary>Parallel streams per step (the batch).</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Characters per stream per step: the truncated back-propagation-through-time length.</summary>
    public int SequenceLength { get; set; } = 128;

    /// <summary>Peak AdamW learning rate, decayed to zero by a cosine over the training-time budget (no warm-up).</summary>
    public double LearningRate { get; set; } = 3e-3;

    /// <summary>AdamW's decoupled weight decay (PyTorch's default), on every parameter.</summary>
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>Gradients are rescaled when their global L2 norm exceeds this.</summary>
    public double GradientClipNorm { get; set; } = 1.0;

    /// <summary>Windows per forward pass during evaluation (does not change the result).</summary>
    public int EvaluationBatchSize { get; set; } = 64;
}
