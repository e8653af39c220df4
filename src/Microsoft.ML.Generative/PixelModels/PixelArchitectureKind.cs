namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>The network of a pixel-autoregressive model (the public enum maps onto this).</summary>
    internal enum PixelArchitectureKind
    {
        /// <summary>Gated PixelCNN: vertical and horizontal stacks of masked convolutions with gated units.</summary>
        GatedPixelCnn,

        /// <summary>Row LSTM (Pixel RNN): an LSTM over rows with masked 1-D input-to-state and state-to-state convolutions.</summary>
        RowLstm,
    }
}
