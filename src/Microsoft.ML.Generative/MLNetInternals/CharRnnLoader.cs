using Microsoft.ML;
using Microsoft.ML.Generative;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Runtime;

// ML.NET's ModelLoadContext loads the assembly named in the zip and scans these attributes to find the factory.
[assembly: LoadableClass(typeof(CharRnnTransformer), typeof(CharRnnLoader), null, typeof(SignatureLoadModel),
    "Character-level RNN language model", CharRnnTransformer.LoaderSignature)]

namespace Microsoft.ML.Generative.MLNetInternals
{
    /// <summary>Factory ML.NET calls (by reflection) to load a <see cref="CharRnnTransformer"/> from a model zip.</summary>
    internal static class CharRnnLoader
    {
        private static CharRnnTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
        {
            byte[] payload = ModelZipEntry.Load(ctx, ModelZipEntry.Version(CharRnnTransformer.ModelSignature, CharRnnTransformer.LoaderSignature));
            return new CharRnnTransformer(env, CharRnnModelSerializer.Deserialize(payload));
        }
    }
}
