using System.IO;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Persistence
{
    /// <summary>
    /// A module's parameters and buffers as bytes, in TorchSharp's own state-dict format. The keys are the names of the
    /// modules' registered fields (<c>RegisterComponents</c> registers every Module, Parameter and Tensor field under its
    /// field name: <c>flow._layers.2.log_scale</c>), so renaming such a field changes the saved format; the model fixtures
    /// catch that (docs/ARCHITECTURE.md, "Saved keys").
    /// </summary>
    internal static class TorchModuleState
    {
        public static byte[] ToBytes(nn.Module module)
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                module.save(writer);
            return stream.ToArray();
        }

        /// <summary>Loads every parameter and buffer; a missing or extra entry (a different architecture) is an error.</summary>
        public static void Load(nn.Module module, byte[] state)
        {
            using var reader = new BinaryReader(new MemoryStream(state));
            module.load(reader, strict: true);
        }
    }
}
