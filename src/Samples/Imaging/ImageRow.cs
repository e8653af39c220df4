namespace Samples.Imaging
{
    /// <summary>One image as ML.NET sees it: a single Pixels vector column, the image Real NVP's default input.</summary>
    public sealed class ImageRow
    {
        public const string PixelsColumn = nameof(Pixels);

        /// <summary>Channels x Height x Width integer pixel levels in (channel, row, column) order.</summary>
        public float[] Pixels { get; set; }
    }
}
