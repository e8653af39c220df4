global using Microsoft.ML;
global using Microsoft.ML.Data;
global using Microsoft.ML.Generative;
global using Microsoft.ML.Generative.Numerics;
