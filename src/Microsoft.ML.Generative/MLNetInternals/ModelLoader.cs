using Microsoft.ML;
using Microsoft.ML.Generative;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Runtime;

// ML.NET's ModelLoadContext loads the assembly named in the zip and scans these attributes to find each family's
// factory by the loader signature saved with the model. A new family adds one line here.
[assembly: LoadableClass(typeof(RealNvpTransformer), typeof(ModelLoader<RealNvpTransformer>), null, typeof(SignatureLoadModel),
    "Real NVP normalizing flow", RealNvpModelSerializer.LoaderSignatureName)]
[assembly: LoadableClass(typeof(RealNvpImageTransformer), typeof(ModelLoader<RealNvpImageTransformer>), null, typeof(SignatureLoadModel),
    "Real NVP for images", RealNvpImageModelSerializer.LoaderSignatureName)]
[assembly: LoadableClass(typeof(CharRnnTransformer), typeof(ModelLoader<CharRnnTransformer>), null, typeof(SignatureLoadModel),
    "Character-level RNN language model", CharRnnModelSerializer.LoaderSignatureName)]
[assembly: LoadableClass(typeof(PixelRnnTransformer), typeof(ModelLoader<PixelRnnTransformer>), null, typeof(SignatureLoadModel),
    "Pixel RNN (gated PixelCNN, Row LSTM) for images", PixelRnnModelSerializer.LoaderSignatureName)]

namespace Microsoft.ML.Generative.MLNetInternals
{
    /// <summary>A transformer that <see cref="ModelLoader{TTransformer}"/> can rebuild from its saved payload.</summary>
    internal interface ILoadableTransformer<TSelf> where TSelf : GenerativeTransformer
    {
        /// <summary>The family's saved form (signatures of its zip entry).</summary>
        static abstract IModelSerializer Serializer { get; }

        /// <summary>The transformer of the model in <paramref name="payload"/> (a container written by <see cref="Serializer"/>).</summary>
        static abstract TSelf Load(IHostEnvironment env, byte[] payload);
    }

    /// <summary>The factory ML.NET calls (by reflection, see the attributes above) to load a transformer from a model zip.</summary>
    internal static class ModelLoader<TTransformer> where TTransformer : GenerativeTransformer, ILoadableTransformer<TTransformer>
    {
        private static TTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
            => TTransformer.Load(env, ModelZipEntry.Load(ctx, TTransformer.Serializer));
    }
}
