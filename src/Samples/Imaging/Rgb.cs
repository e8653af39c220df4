namespace Samples.Imaging
{
    /// <summary>An 8-bit RGB colour.</summary>
    internal readonly record struct Rgb(byte R, byte G, byte B)
    {
        public static readonly Rgb White = new(255, 255, 255);
        public static readonly Rgb Black = new(0, 0, 0);
        public static readonly Rgb Gray = new(128, 128, 128);
        public static readonly Rgb LightGray = new(225, 225, 225);
        // Two colours that stay distinct for the common forms of colour blindness.
        public static readonly Rgb Blue = new(31, 119, 180);
        public static readonly Rgb Orange = new(230, 120, 0);
    }
}
