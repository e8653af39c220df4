using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace Microsoft.ML.Generative.Persistence
{
    /// <summary>
    /// The self-checking binary container a model is saved in:
    /// magic "MLGENMOD" (8 bytes) | format version (int32) | kind (string) | body length (int64) | SHA-256 of body (32 bytes) | body.
    /// The version and kind come first so a newer format of the right kind is reported as such (not as corruption); the checksum catches
    /// truncated or altered files before any byte of the body is interpreted.
    /// </summary>
    internal static class ModelContainer
    {
        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("MLGENMOD");

        /// <summary>Offset of the int32 format version (documented for tests and tools).</summary>
        public const int FormatVersionOffset = 8;

        public static byte[] Wrap(string kind, int formatVersion, byte[] body)
        {
            using var stream = new MemoryStream();
            using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(Magic);
                w.Write(formatVersion);
                w.Write(kind);
                w.Write((long)body.Length);
                w.Write(SHA256.HashData(body));
                w.Write(body);
            }
            return stream.ToArray();
        }

        /// <summary>Checks the container and returns its body and format version.</summary>
        public static (byte[] body, int formatVersion) Unwrap(byte[] container, string expectedKind, int newestReadableVersion)
        {
            try
            {
                using var r = new BinaryReader(new MemoryStream(container), Encoding.UTF8);
                var magic = r.ReadBytes(Magic.Length);
                if (!magic.AsSpan().SequenceEqual(Magic))
                    throw Corrupt(expectedKind, "it does not start with the Microsoft.ML.Generative model header");
                int version = r.ReadInt32();
                if (version < 1)
                    throw Corrupt(expectedKind, $"its format version {version} is invalid");
                // The kind first: a model of another kind is the wrong file, whatever its format version.
                string kind = r.ReadString();
                if (kind != expectedKind)
                    throw Corrupt(expectedKind, $"it holds a '{kind}' model");
                if (version > newestReadableVersion)
                    throw new NotSupportedException($"This {expectedKind} model was saved in model format {version} by a newer version of Microsoft.ML.Generative; this version reads formats up to {newestReadableVersion}. Upgrade the Microsoft.ML.Generative package to load it.");
                long length = r.ReadInt64();
                byte[] hash = r.ReadBytes(32);
                if (length < 0)
                    throw Corrupt(expectedKind, "its length field is invalid");
                if (length > container.Length - r.BaseStream.Position)
                    throw Corrupt(expectedKind, "it is truncated");
                byte[] body = r.ReadBytes((int)length);
                if (body.Length != length)
                    throw Corrupt(expectedKind, "it is truncated");
                if (!SHA256.HashData(body).AsSpan().SequenceEqual(hash))
                    throw Corrupt(expectedKind, "its checksum does not match (the file was altered or damaged)");
                return (body, version);
            }
            catch (EndOfStreamException)
            {
                throw Corrupt(expectedKind, "it is truncated");
            }
        }

        private static InvalidDataException Corrupt(string kind, string why)
            => new InvalidDataException($"The saved {kind} model cannot be read: {why}. Save the model again.");
    }
}
