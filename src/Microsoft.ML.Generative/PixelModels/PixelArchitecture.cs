using System;
using Microsoft.ML.Generative.Flows.Image;

namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>Shape of a pixel-autoregressive network; saved with the model.</summary>
    internal sealed record PixelArchitecture
    {
        /// <summary>Colour channels (1 or 3); also the number of colour groups the masks keep apart.</summary>
        public int Channels { get; init; }
        public int Height { get; init; }
        public int Width { get; init; }

        /// <summary>Discrete levels per sub-pixel: the softmax size (256 for 8-bit images).</summary>
        public int Levels { get; init; }

        public PixelArchitectureKind Kind { get; init; }

        /// <summary>Units per layer (gated units per stack, or LSTM units); a multiple of 16 and of <see cref="Channels"/>.</summary>
        public int FeatureMaps { get; init; }

        /// <summary>Gated layers, or Row LSTM layers.</summary>
        public int Layers { get; init; }

        /// <summary>Odd kernel size of the gated layers (k: vertical (k/2+1) x k, horizontal 1 x (k/2+1)) and of the Row LSTM's first convolution.</summary>
        public int KernelSize { get; init; }

        /// <summary>Units of the output head's hidden 1x1 convolution; a multiple of 16 and of <see cref="Channels"/>.</summary>
        public int OutputFeatureMaps { get; init; }

        /// <summary>Class labels of a class-conditional model; 0 for an unconditional one.</summary>
        public int Classes { get; init; }

        /// <summary>Sub-pixels per image: C x H x W.</summary>
        public int Dimensions => Channels * Height * Width;

        public void Validate()
        {
            static bool Units(int n, int channels) => n >= ResNetConditioner.MinimumConvolutionChannels
                && n % ResNetConditioner.MinimumConvolutionChannels == 0 && n % channels == 0;
            if ((Channels != 1 && Channels != 3) || Height < 1 || Width < 1 || Levels < 2 || !Enum.IsDefined(Kind)
                || !Units(FeatureMaps, Channels) || !Units(OutputFeatureMaps, Channels) || Layers < 1
                || KernelSize < 3 || KernelSize % 2 == 0 || Classes < 0)
                throw new System.IO.InvalidDataException($"Invalid pixel-autoregressive architecture: {this}.");
        }
    }
}
