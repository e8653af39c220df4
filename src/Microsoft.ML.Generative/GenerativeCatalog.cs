using System;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Generative
{
    /// <summary>Entry point: <c>mlContext.Generative()</c>.</summary>
    public static class GenerativeMLContextExtensions
    {
        /// <summary>The catalog of exact-likelihood generative models: Real NVP normalizing flows (vectors and images) and character-level RNN language models.</summary>
        public static GenerativeCatalog Generative(this MLContext mlContext)
            => new GenerativeCatalog(mlContext ?? throw new ArgumentNullException(nameof(mlContext)));

        /// <summary>
        /// Cancels every operation running under <paramref name="mlContext"/>, from any thread: a running Fit of this
        /// library stops at its next step with an <see cref="OperationCanceledException"/> and returns no model.
        /// ML.NET 5 and 6 have this method on MLContext but not public; this calls it, so ML.NET's own trainers stop too.
        /// Cancellation is permanent for that context: create a new MLContext to train again.
        /// </summary>
        public static void CancelExecution(this MLContext mlContext)
            => MLNetInternals.HostCancellation.Cancel(mlContext ?? throw new ArgumentNullException(nameof(mlContext)));
    }

    /// <summary>Creates the library's estimators. Obtain it with <c>mlContext.Generative()</c>.</summary>
    public sealed class GenerativeCatalog
    {
        private readonly IHostEnvironment _environment;

        internal GenerativeCatalog(IHostEnvironment environment) => _environment = environment;

        /// <summary>A Real NVP flow on <paramref name="featureColumnName"/> with default options (see <see cref="RealNvpOptions"/>).</summary>
        /// <param name="featureColumnName">A vector of Single (float) column. Default "Features".</param>
        /// <param name="numberOfCouplingLayers">Number of affine coupling layers. Default 8.</param>
        /// <param name="maxEpochs">Maximum passes over the data (early stopping usually ends sooner). Default 200.</param>
        public RealNvpEstimator RealNvp(string featureColumnName = "Features", int numberOfCouplingLayers = 8, int maxEpochs = 200)
            => new RealNvpEstimator(_environment, new RealNvpOptions
            {
                FeatureColumnName = featureColumnName,
                NumberOfCouplingLayers = numberOfCouplingLayers,
                MaxEpochs = maxEpochs,
            });

        /// <summary>A Real NVP flow configured by <paramref name="options"/>.</summary>
        public RealNvpEstimator RealNvp(RealNvpOptions options)
            => new RealNvpEstimator(_environment, options ?? throw new ArgumentNullException(nameof(options)));

        /// <summary>
        /// A multi-scale Real NVP for images on <paramref name="featureColumnName"/> with default options (see
        /// <see cref="RealNvpImageOptions"/>): pixel vectors of <paramref name="channels"/> x <paramref name="height"/> x
        /// <paramref name="width"/> integer levels 0..255.
        /// </summary>
        /// <param name="featureColumnName">A vector of Single column with the pixels in (channel, row, column) order. Default "Pixels".</param>
        /// <param name="channels">Channels per image. Default 1.</param>
        /// <param name="height">Image height in pixels.</param>
        /// <param name="width">Image width in pixels.</param>
        public RealNvpImageEstimator RealNvpImage(string featureColumnName = "Pixels", int channels = 1, int height = 28, int width = 28)
            => new RealNvpImageEstimator(_environment, new RealNvpImageOptions
            {
                FeatureColumnName = featureColumnName,
                Channels = channels,
                Height = height,
                Width = width,
            });

        /// <summary>A multi-scale Real NVP for images configured by <paramref name="options"/>.</summary>
        public RealNvpImageEstimator RealNvpImage(RealNvpImageOptions options)
            => new RealNvpImageEstimator(_environment, options ?? throw new ArgumentNullException(nameof(options)));

        /// <summary>
        /// A pixel-autoregressive image model (the Pixel-RNN family) on <paramref name="featureColumnName"/> with default
        /// options (see <see cref="PixelRnnOptions"/>): pixel vectors of <paramref name="channels"/> x
        /// <paramref name="height"/> x <paramref name="width"/> integer levels 0..255.
        /// </summary>
        /// <param name="featureColumnName">A vector of Single column with the pixels in (channel, row, column) order. Default "Pixels".</param>
        /// <param name="channels">Channels per image: 1 or 3. Default 1.</param>
        /// <param name="height">Image height in pixels.</param>
        /// <param name="width">Image width in pixels.</param>
        /// <param name="architecture">Gated PixelCNN (default) or Row LSTM.</param>
        public PixelRnnEstimator PixelRnn(string featureColumnName = "Pixels", int channels = 1, int height = 28, int width = 28,
            PixelRnnArchitecture architecture = PixelRnnArchitecture.GatedPixelCnn)
            => new PixelRnnEstimator(_environment, new PixelRnnOptions
            {
                FeatureColumnName = featureColumnName,
                Channels = channels,
                Height = height,
                Width = width,
                Architecture = architecture,
            });

        /// <summary>A pixel-autoregressive image model configured by <paramref name="options"/>.</summary>
        public PixelRnnEstimator PixelRnn(PixelRnnOptions options)
            => new PixelRnnEstimator(_environment, options ?? throw new ArgumentNullException(nameof(options)));

        /// <summary>A character-level RNN language model on <paramref name="textColumnName"/> with default options (see <see cref="CharRnnOptions"/>).</summary>
        /// <param name="textColumnName">A Text (string) column. Default "Text".</param>
        /// <param name="contextMode">Independent rows (default) or lines of one long text.</param>
        /// <param name="maxEpochs">Maximum passes over the data (early stopping usually ends sooner). Default 50.</param>
        public CharRnnEstimator CharRnn(string textColumnName = "Text", CharRnnContextMode contextMode = CharRnnContextMode.Rows, int maxEpochs = 50)
            => new CharRnnEstimator(_environment, new CharRnnOptions
            {
                TextColumnName = textColumnName,
                ContextMode = contextMode,
                MaxEpochs = maxEpochs,
            });

        /// <summary>A character-level RNN language model configured by <paramref name="options"/>.</summary>
        public CharRnnEstimator CharRnn(CharRnnOptions options)
            => new CharRnnEstimator(_environment, options ?? throw new ArgumentNullException(nameof(options)));
    }
}
