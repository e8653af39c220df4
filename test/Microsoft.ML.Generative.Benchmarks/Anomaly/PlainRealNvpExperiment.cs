namespace Microsoft.ML.Generative.Benchmarks.Anomaly;

/// <summary>
/// Experimental changes to <see cref="PlainRealNvpDetector"/>'s training (command line: --plain "Name=Value;..."),
/// used to test ideas the library does not offer yet. Defaults reproduce the protocol's plain flow.
/// </summary>
internal sealed class PlainRealNvpExperiment
{
    /// <summary>Std of Gaussian noise added to every standardised training row (like RealNvpOptions.TrainingNoise). Default 0.</summary>
    public double TrainingNoise { get; set; }

    /// <summary>
    /// Trimmed likelihood: the loss of a batch (and the validation loss) is the mean NLL of its (1 - TrimFraction)
    /// most likely rows, so the least likely rows (in an unlabeled training set: mostly anomalies) do not pull density
    /// towards themselves. Default 0 (plain mean).
    /// </summary>
    public double TrimFraction { get; set; }

    /// <summary>Train the library's public RealNvpNetwork (default architecture: ActNorm, parity/halves masks) instead of the plain network. Default false.</summary>
    public bool LibraryNetwork { get; set; }

    /// <summary>AdamW decoupled weight decay (like the library's); 0 = plain Adam. Default 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Clip the global gradient norm (like the library's); 0 = no clipping. Default 0.</summary>
    public double GradientClipNorm { get; set; }
}
