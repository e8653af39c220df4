using System;

namespace Samples.Imaging
{
    /// <summary>A white RGB canvas with the few drawing operations a line plot needs. Drawing outside is clipped.</summary>
    internal sealed class RgbImage
    {
        public RgbImage(int width, int height)
        {
            Width = width;
            Height = height;
            Pixels = new byte[width * height * 3];
            Array.Fill(Pixels, (byte)255);
        }

        public int Width { get; }
        public int Height { get; }
        /// <summary>Row-major R, G, B bytes.</summary>
        public byte[] Pixels { get; }

        public void SetPixel(int x, int y, Rgb color)
        {
            if (x < 0 || y < 0 || x >= Width || y >= Height) return;
            int i = (y * Width + x) * 3;
            Pixels[i] = color.R;
            Pixels[i + 1] = color.G;
            Pixels[i + 2] = color.B;
        }

        public void FillRectangle(int x, int y, int width, int height, Rgb color)
        {
            for (int yy = y; yy < y + height; yy++)
                for (int xx = x; xx < x + width; xx++)
                    SetPixel(xx, yy, color);
        }

        public void DrawRectangle(int x, int y, int width, int height, Rgb color)
        {
            DrawLine(x, y, x + width - 1, y, color);
            DrawLine(x, y + height - 1, x + width - 1, y + height - 1, color);
            DrawLine(x, y, x, y + height - 1, color);
            DrawLine(x + width - 1, y, x + width - 1, y + height - 1, color);
        }

        /// <summary>Bresenham's line with a square pen of <paramref name="thickness"/> pixels; dashLength &gt; 0 draws dashes.</summary>
        public void DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1, int dashLength = 0)
        {
            int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
            int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
            int error = dx + dy, step = 0;
            int half = (thickness - 1) / 2;
            while (true)
            {
                if (dashLength <= 0 || (step / dashLength) % 2 == 0)
                    FillRectangle(x0 - half, y0 - half, thickness, thickness, color);
                if (x0 == x1 && y0 == y1) break;
                int e2 = 2 * error;
                if (e2 >= dy) { error += dy; x0 += sx; }
                if (e2 <= dx) { error += dx; y0 += sy; }
                step++;
            }
        }

        /// <summary>Text in <see cref="BitmapFont"/>, top-left at (x, y), each font pixel drawn as scale x scale.</summary>
        public void DrawText(int x, int y, string text, Rgb color, int scale = 2)
            => BitmapFont.Render(text, (u, v) => FillRectangle(x + u * scale, y + v * scale, scale, scale, color));

        /// <summary>Text turned 90 degrees anticlockwise (reading upwards), bottom-left at (x, y); for a vertical axis label.</summary>
        public void DrawTextUpwards(int x, int y, string text, Rgb color, int scale = 2)
            => BitmapFont.Render(text, (u, v) => FillRectangle(x + v * scale, y - (u + 1) * scale, scale, scale, color));
    }
}
