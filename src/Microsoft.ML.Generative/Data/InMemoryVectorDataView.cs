using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>A one-column IDataView over a dense row-major float matrix (used for generated samples).</summary>
    internal sealed class InMemoryVectorDataView : IDataView
    {
        private readonly float[] _values;
        private readonly int _rows;
        private readonly int _size;

        public InMemoryVectorDataView(string columnName, float[] values, int rows, int size)
        {
            if ((long)rows * size != values.Length) throw new ArgumentException("values must hold rows x size numbers.");
            _values = values;
            _rows = rows;
            _size = size;
            var builder = new DataViewSchema.Builder();
            builder.AddColumn(columnName, new VectorDataViewType(NumberDataViewType.Single, size));
            Schema = builder.ToSchema();
        }

        public DataViewSchema Schema { get; }
        public bool CanShuffle => false;
        public long? GetRowCount() => _rows;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random rand = null)
            => new Cursor(this, (columnsNeeded ?? Enumerable.Empty<DataViewSchema.Column>()).Any());

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random rand = null)
            => new[] { GetRowCursor(columnsNeeded, rand) };

        private sealed class Cursor : DataViewRowCursor
        {
            private readonly InMemoryVectorDataView _parent;
            private readonly bool _active;
            private long _position = -1;

            public Cursor(InMemoryVectorDataView parent, bool active)
            {
                _parent = parent;
                _active = active;
            }

            public override DataViewSchema Schema => _parent.Schema;
            public override long Position => _position;
            public override long Batch => 0;

            public override bool MoveNext()
            {
                if (_position + 1 >= _parent._rows)
                {
                    _position = _parent._rows;
                    return false;
                }
                _position++;
                return true;
            }

            public override ValueGetter<DataViewRowId> GetIdGetter()
                => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

            public override bool IsColumnActive(DataViewSchema.Column column) => column.Index == 0 && _active;

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                if (column.Index != 0 || !_active) throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
                ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> v) =>
                {
                    if (_position < 0 || _position >= _parent._rows) throw new InvalidOperationException("The cursor is not positioned on a row.");
                    var editor = VBufferEditor.Create(ref v, _parent._size);
                    _parent._values.AsSpan((int)(_position * _parent._size), _parent._size).CopyTo(editor.Values);
                    v = editor.Commit();
                };
                return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"Column '{column.Name}' is a float vector; it cannot be read as {typeof(TValue).Name}.");
            }
        }
    }
}
