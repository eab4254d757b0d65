using System.Text;

namespace UnrolledRnn.Generator.Primitives;

/// <summary>Fills the placeholders of a kernel template from <see cref="Primitive"/>.</summary>
internal static class KernelCall
{
    public static string Forward(string template, string elementType, string x, string y) =>
        new StringBuilder(template).Replace("{T}", elementType).Replace("{x}", x).Replace("{y}", y).ToString();

    /// <summary>A backward template filled in; <paramref name="x"/> is read only by a derivative of the argument.</summary>
    public static string Backward(string template, string elementType, string x, string y, string dy, string dx) =>
        new StringBuilder(template).Replace("{T}", elementType).Replace("{dy}", dy).Replace("{dx}", dx).Replace("{y}", y).Replace("{x}", x).ToString();

    /// <summary>A derivative factor in comments, with the names of the argument and the output in place of <c>{x}</c> and <c>{y}</c>.</summary>
    public static string Factor(Derivative derivative, string x, string y) => derivative.Factor.Replace("{y}", y).Replace("{x}", x);
}
