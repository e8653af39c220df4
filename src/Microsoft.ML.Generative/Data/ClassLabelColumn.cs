using System;
using System.Collections.Generic;
using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>
    /// A class-label input column: a key type (values 1..count; 0 is a missing label) or Int32 / Int64 / UInt32 class ids
    /// from 0. Reads it as class ids 0..classes-1, with errors that name the column, the row and what was expected.
    /// </summary>
    internal sealed class ClassLabelColumn
    {
        private readonly DataViewSchema.Column _column;
        private readonly string _name;

        private ClassLabelColumn(DataViewSchema.Column column, ulong? keyCount)
        {
            _column = column;
            _name = column.Name;
            KeyCount = keyCount;
        }

        /// <summary>The schema column.</summary>
        public DataViewSchema.Column Column => _column;

        /// <summary>The key type's count for a key column; null for an integer column.</summary>
        public ulong? KeyCount { get; }

        /// <summary>Finds and checks <paramref name="name"/> in <paramref name="schema"/>.</summary>
        public static ClassLabelColumn Check(DataViewSchema schema, string name)
        {
            var found = schema.GetColumnOrNull(name)
                ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Label column '{name}' was not found. Expected a key type or Int32, Int64 or UInt32 class ids.");
            var type = found.Type;
            if (type is KeyDataViewType key)
            {
                if (key.RawType != typeof(uint))
                    throw new ArgumentOutOfRangeException(nameof(schema), $"Label column '{name}' is a key type of {key.RawType.Name}; expected UInt32 keys (what ml.Transforms.Conversion.MapValueToKey produces).");
                if (key.Count == 0 || key.Count > int.MaxValue)
                    throw new ArgumentOutOfRangeException(nameof(schema), $"Label column '{name}' is a key type with {key.Count} values; expected a known count from 1 to {int.MaxValue}.");
                return new ClassLabelColumn(found, key.Count);
            }
            if (type == NumberDataViewType.Int32 || type == NumberDataViewType.Int64 || type == NumberDataViewType.UInt32)
                return new ClassLabelColumn(found, null);
            throw new ArgumentOutOfRangeException(nameof(schema), $"Label column '{name}' has type {type}; expected a key type (ml.Transforms.Conversion.MapValueToKey) or Int32, Int64 or UInt32 class ids.");
        }

        /// <summary>The same check on an estimator's schema shape (before any data is read).</summary>
        public static void CheckShape(SchemaShape shape, string name)
        {
            var column = default(SchemaShape.Column);
            foreach (var c in shape) if (c.Name == name) column = c;
            if (column.Name is null)
                throw new ArgumentOutOfRangeException(nameof(shape), $"Label column '{name}' was not found. Expected a key type or Int32, Int64 or UInt32 class ids.");
            bool scalar = column.Kind == SchemaShape.Column.VectorKind.Scalar;
            bool integer = column.ItemType == NumberDataViewType.Int32 || column.ItemType == NumberDataViewType.Int64 || column.ItemType == NumberDataViewType.UInt32;
            if (!scalar || !(column.IsKey || integer))
                throw new ArgumentOutOfRangeException(nameof(shape), $"Label column '{name}' has type {(scalar ? "" : "vector of ")}{column.ItemType}; expected a key type or Int32, Int64 or UInt32 class ids.");
        }

        /// <summary>A getter of the class id (from 0, not yet checked against the class count) of the row <paramref name="row"/> is on.</summary>
        public Func<long, long> Reader(DataViewRow row)
        {
            if (_column.Type is KeyDataViewType)
            {
                var getter = row.GetGetter<uint>(_column);
                uint value = 0;
                return position =>
                {
                    getter(ref value);
                    if (value == 0)
                        throw new InvalidOperationException($"Column '{_name}', row {position}: the label is missing (key value 0); expected one of the {KeyCount} classes.");
                    return value - 1L;
                };
            }
            if (_column.Type == NumberDataViewType.Int32)
            {
                var getter = row.GetGetter<int>(_column);
                int value = 0;
                return position => { getter(ref value); return NonNegative(value, position); };
            }
            if (_column.Type == NumberDataViewType.UInt32)
            {
                var getter = row.GetGetter<uint>(_column);
                uint value = 0;
                return position => { getter(ref value); return value; };
            }
            var longGetter = row.GetGetter<long>(_column);
            long longValue = 0;
            return position => { longGetter(ref longValue); return NonNegative(longValue, position); };
        }

        /// <summary>The class id of a row, checked against <paramref name="classes"/> (an unseen class is refused).</summary>
        public long Checked(long classId, int classes, long position)
        {
            if (classId >= classes)
                throw new InvalidOperationException($"Column '{_name}', row {position}: label {(KeyCount is null ? classId : classId + 1)} is not one of the model's {classes} classes ({(KeyCount is null ? $"0 to {classes - 1}" : $"key values 1 to {classes}")}).");
            return classId;
        }

        /// <summary>Every row's class id, in cursor order.</summary>
        public static long[] ReadAll(IDataView data, ClassLabelColumn label, Action throwIfCanceled)
        {
            var values = new List<long>();
            using var cursor = data.GetRowCursor(new[] { label.Column });
            var read = label.Reader(cursor);
            while (cursor.MoveNext())
            {
                if ((values.Count & 1023) == 0) throwIfCanceled();
                values.Add(read(cursor.Position));
            }
            return values.ToArray();
        }

        private long NonNegative(long value, long position)
            => value >= 0 ? value : throw new InvalidOperationException($"Column '{_name}', row {position}: label {value}; expected a class id from 0.");
    }
}
