using Microsoft.ML;
using Microsoft.ML.Generative;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Runtime;

// ML.NET's ModelLoadContext loads the assembly named in the zip and scans these attributes to find the factory.
[assembly: LoadableClass(typeof(RealNvpImageTransformer), typeof(RealNvpImageLoader), null, typeof(SignatureLoadModel),
    "Real NVP for images", RealNvpImageTransformer.LoaderSignature)]

namespace Microsoft.ML.Generative.MLNetInternals
{
    /// <summary>Factory ML.NET calls (by reflection) to load a <see cref="RealNvpImageTransformer"/> from a model zip.</summary>
    internal static class RealNvpImageLoader
    {
        private static RealNvpImageTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
        {
            byte[] payload = ModelZipEntry.Load(ctx, ModelZipEntry.Version(RealNvpImageTransformer.ModelSignature, RealNvpImageTransformer.LoaderSignature));
            return new RealNvpImageTransformer(env, RealNvpImageModelSerializer.Deserialize(payload));
        }
    }
}
