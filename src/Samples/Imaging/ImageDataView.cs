using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Samples.Imaging
{
    /// <summary>Turns pixel vectors into an ML.NET IDataView of <see cref="ImageRow"/>.</summary>
    internal static class ImageDataView
    {
        /// <summary>
        /// The schema of <see cref="ImageRow"/> with the vector size fixed: ML.NET needs it for a float[] member, and the
        /// model's Transform checks a known size against the one it was trained on.
        /// </summary>
        public static SchemaDefinition Schema(int dimensions)
        {
            var schema = SchemaDefinition.Create(typeof(ImageRow));
            schema[ImageRow.PixelsColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
            return schema;
        }

        public static IDataView Create(MLContext ml, IEnumerable<float[]> images, int dimensions)
            => ml.Data.LoadFromEnumerable(images.Select(pixels => new ImageRow { Pixels = pixels }).ToList(), Schema(dimensions));
    }
}
