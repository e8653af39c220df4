using System;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Generative.MLNetInternals
{
    /// <summary>
    /// Writes and reads a transformer's entry in an ML.NET model zip. The ML.NET side is kept to a version header
    /// and one binary stream holding our own self-checking container (see Persistence/ModelContainer), so the model
    /// format is ours and a future ML.NET version only touches this file.
    /// </summary>
    internal static class ModelZipEntry
    {
        /// <summary>Name of the stream inside the transformer's zip folder.</summary>
        public const string PayloadStreamName = "Model.bin";

        private static VersionInfo Version(IModelSerializer serializer) => new VersionInfo(
            modelSignature: serializer.ModelSignature,
            verWrittenCur: 0x00010001,
            verReadableCur: 0x00010001,
            verWeCanReadBack: 0x00010001,
            loaderSignature: serializer.LoaderSignature,
            // The simple name, so a zip survives version bumps of this library.
            loaderAssemblyName: typeof(ModelZipEntry).Assembly.GetName().Name);

        public static void Save(ModelSaveContext ctx, IModelSerializer serializer, byte[] payload)
        {
            if (ctx is null) throw new ArgumentNullException(nameof(ctx));
            ctx.CheckAtModel();
            ctx.SetVersionInfo(Version(serializer));
            ctx.Writer.Write(payload.Length);
            ctx.SaveBinaryStream(PayloadStreamName, w => w.Write(payload));
        }

        public static byte[] Load(ModelLoadContext ctx, IModelSerializer serializer)
        {
            ctx.CheckAtModel(Version(serializer));
            int length = ctx.Reader.ReadInt32();
            byte[] payload = null;
            if (!ctx.TryLoadBinaryStream(PayloadStreamName, r => payload = r.ReadBytes(length)))
                throw new System.IO.InvalidDataException($"The model zip has no '{PayloadStreamName}' entry for this transformer; the file is incomplete or was not written by Microsoft.ML.Generative.");
            if (payload.Length != length)
                throw new System.IO.InvalidDataException($"The model zip's '{PayloadStreamName}' entry is truncated ({payload.Length} of {length} bytes).");
            return payload;
        }
    }
}
