namespace Microsoft.ML.Generative.Benchmarks.PixelImages;

/// <summary>
/// One image model a comparison can run (<c>--models</c>): the image Real NVP, or a Pixel RNN architecture,
/// unconditional or class-conditional.
/// </summary>
internal sealed record ImageModelChoice(string Name, string Display, PixelRnnArchitecture? Architecture, bool Conditional)
{
    public static readonly ImageModelChoice RealNvp = new("realnvp", "image Real NVP", null, false);
    public static readonly ImageModelChoice Gated = new("gated", "gated PixelCNN", PixelRnnArchitecture.GatedPixelCnn, false);
    public static readonly ImageModelChoice RowLstm = new("rowlstm", "Row LSTM", PixelRnnArchitecture.RowLstm, false);
    public static readonly ImageModelChoice GatedConditional = new("gated-conditional", "gated PixelCNN, class-conditional", PixelRnnArchitecture.GatedPixelCnn, true);
    public static readonly ImageModelChoice RowLstmConditional = new("rowlstm-conditional", "Row LSTM, class-conditional", PixelRnnArchitecture.RowLstm, true);

    private static readonly ImageModelChoice[] All = { RealNvp, Gated, RowLstm, GatedConditional, RowLstmConditional };

    /// <summary>A Pixel RNN (exact discrete likelihood), not the flow (dequantized).</summary>
    public bool IsPixelRnn => Architecture is not null;

    /// <summary>The choices named in a --models list, in the given order.</summary>
    public static IReadOnlyList<ImageModelChoice> ParseList(IEnumerable<string> names, IEnumerable<string> allowed = null)
    {
        var permitted = (allowed ?? All.Select(m => m.Name)).ToHashSet();
        var list = new List<ImageModelChoice>();
        foreach (string name in names)
        {
            var model = All.FirstOrDefault(m => m.Name == name.ToLowerInvariant());
            if (model is null || !permitted.Contains(model.Name))
                throw new ArgumentException($"Unknown model '{name}'; use {string.Join(", ", permitted)}.");
            if (!list.Contains(model)) list.Add(model);
        }
        if (list.Count == 0) throw new ArgumentException("--models lists no model.");
        return list;
    }
}
