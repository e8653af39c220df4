namespace Microsoft.ML.Generative
{
    /// <summary>The network of a <see cref="PixelRnnEstimator"/>.</summary>
    public enum PixelRnnArchitecture
    {
        /// <summary>
        /// Gated PixelCNN (van den Oord et al. 2016, "Conditional Image Generation with PixelCNN Decoders"): masked
        /// convolutions in a vertical and a horizontal stack (no blind spot), gated tanh x sigmoid units, residual and skip
        /// connections. Every conditional in one parallel pass while training and scoring.
        /// </summary>
        GatedPixelCnn,

        /// <summary>
        /// Row LSTM (van den Oord et al. 2016, "Pixel Recurrent Neural Networks"): an LSTM that steps from row to row with
        /// masked 1-D input-to-state and state-to-state convolutions along the row, residual connections. Sequential over
        /// rows; its receptive field is the triangle above each pixel.
        /// </summary>
        RowLstm,
    }
}
