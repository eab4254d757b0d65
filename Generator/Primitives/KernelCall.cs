using System.Text;

namespace UnrolledRnn.Generator.Primitives;

/// <summary>Fills the placeholders of a kernel template from <see cref="Primitive"/>.</summary>
internal static class KernelCall
{
    public static string Forward(string template, string elementType, string x, string y) =>
        new StringBuilder(template).Replace("{T}", elementType).Replace("{x}", x).Replace("{y}", y).ToString();

    public static string Backward(string template, string elementType, string y, string dy, string dx) =>
        new StringBuilder(template).Replace("{T}", elementType).Replace("{dy}", dy).Replace("{dx}", dx).Replace("{y}", y).ToString();

    /// <summary>A derivative factor in comments, with the output's name in place of <c>{y}</c>.</summary>
    public static string Factor(Derivative derivative, string y) => derivative.Factor.Replace("{y}", y);
}
