using Microsoft.ML;
using Microsoft.ML.Generative;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Runtime;

// ML.NET's ModelLoadContext loads the assembly named in the zip and scans these attributes to find the factory.
[assembly: LoadableClass(typeof(RealNvpTransformer), typeof(RealNvpLoader), null, typeof(SignatureLoadModel),
    "Real NVP normalizing flow", RealNvpTransformer.LoaderSignature)]

namespace Microsoft.ML.Generative.MLNetInternals
{
    /// <summary>Factory ML.NET calls (by reflection) to load a <see cref="RealNvpTransformer"/> from a model zip.</summary>
    internal static class RealNvpLoader
    {
        private static RealNvpTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
        {
            byte[] payload = ModelZipEntry.Load(ctx, ModelZipEntry.Version(RealNvpTransformer.ModelSignature, RealNvpTransformer.LoaderSignature));
            return new RealNvpTransformer(env, RealNvpModelSerializer.Deserialize(payload));
        }
    }
}
