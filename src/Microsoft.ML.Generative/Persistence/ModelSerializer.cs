using System;
using System.IO;
using Microsoft.ML.Generative.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Persistence
{
    /// <summary>What the shared transformer and the model loader need of a family's saved form.</summary>
    internal interface IModelSerializer
    {
        /// <summary>ML.NET's 8-character signature of the transformer's entry in a model zip.</summary>
        string ModelSignature { get; }

        /// <summary>Names the loader in the zip (<c>LoadableClass</c>); never changes once models were saved with it.</summary>
        string LoaderSignature { get; }

        /// <summary>The model in its current format, inside a <see cref="ModelContainer"/>.</summary>
        byte[] Serialize(TrainedModel model);
    }

    /// <summary>
    /// A family's saved form: the body inside a <see cref="ModelContainer"/> (which checks magic, kind, version and
    /// checksum). A family writes its body in <see cref="Write"/> and reads every format version it ever wrote in
    /// <see cref="Read"/>: a format change bumps <see cref="CurrentVersion"/> and keeps reading the older ones (the
    /// checked-in model fixtures test that); a newer version than <see cref="CurrentVersion"/> asks for an upgrade.
    /// </summary>
    internal abstract class ModelSerializer<TModel> : IModelSerializer where TModel : TrainedModel
    {
        /// <param name="kind">Written in the container ("RealNvp"): a model of another kind is refused.</param>
        /// <param name="currentVersion">The format version this library writes (and the newest it reads).</param>
        /// <param name="modelSignature">ML.NET's 8-character signature of the zip entry.</param>
        /// <param name="loaderSignature">Names the loader in the zip; never changes once models were saved with it.</param>
        protected ModelSerializer(string kind, int currentVersion, string modelSignature, string loaderSignature)
        {
            Kind = kind;
            CurrentVersion = currentVersion;
            ModelSignature = modelSignature;
            LoaderSignature = loaderSignature;
        }

        public string Kind { get; }
        public int CurrentVersion { get; }
        public string ModelSignature { get; }
        public string LoaderSignature { get; }

        /// <summary>Writes the body of <paramref name="model"/> in the current format.</summary>
        protected abstract void Write(BinaryWriter writer, TModel model);

        /// <summary>Reads a body of format <paramref name="version"/> and rebuilds the model on the CPU.</summary>
        protected abstract TModel Read(BinaryReader reader, int version);

        public byte[] Serialize(TrainedModel model)
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream))
                Write(writer, (TModel)model);
            return ModelContainer.Wrap(Kind, CurrentVersion, stream.ToArray());
        }

        /// <summary>
        /// Checks the container and reads the model. Building its networks draws initial weights from TorchSharp's global
        /// generator (the saved weights then replace them), so this runs under <see cref="TorchGlobalState"/> and leaves
        /// the host's generator state as it was.
        /// </summary>
        public TModel Deserialize(byte[] container)
        {
            var (body, version) = ModelContainer.Unwrap(container, Kind, CurrentVersion);
            return TorchGlobalState.PreservingGenerator(() =>
            {
                using var reader = new BinaryReader(new MemoryStream(body));
                return Read(reader, version);
            });
        }

        /// <summary>Writes <paramref name="network"/>'s state dict, length first (read with <see cref="ReadNetwork"/>).</summary>
        protected static void WriteNetwork(BinaryWriter writer, nn.Module network)
        {
            byte[] state = TorchModuleState.ToBytes(network);
            writer.Write(state.Length);
            writer.Write(state);
        }

        /// <summary>Builds a network with <paramref name="build"/> and loads the next state dict into it (every key must match).</summary>
        protected static TNetwork ReadNetwork<TNetwork>(BinaryReader reader, Func<TNetwork> build) where TNetwork : nn.Module
        {
            int length = reader.ReadInt32();
            if (length < 0) throw new InvalidDataException("Invalid state length.");
            byte[] state = reader.ReadBytes(length);
            var network = build();
            try
            {
                TorchModuleState.Load(network, state);
                return network;
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
    }
}
