using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Security;

/// <summary>
/// MVC's HTML generator, except that a validation summary without errors no longer carries
/// <c>&lt;li style="display:none"&gt;</c> (a placeholder for jQuery's client-side validation, which Lotse does not use):
/// the CSP (style-src 'self', no inline styles) blocks that attribute on every form page. The placeholder becomes
/// <c>&lt;li hidden&gt;</c>, which hides it the same way.
/// </summary>
public sealed class CspSafeHtmlGenerator(
    IAntiforgery antiforgery,
    IOptions<MvcViewOptions> optionsAccessor,
    IModelMetadataProvider metadataProvider,
    IUrlHelperFactory urlHelperFactory,
    HtmlEncoder htmlEncoder,
    ValidationHtmlAttributeProvider validationAttributeProvider)
    : DefaultHtmlGenerator(antiforgery, optionsAccessor, metadataProvider, urlHelperFactory, htmlEncoder, validationAttributeProvider)
{
    private const string StyledPlaceholder = "<li style=\"display:none\"></li>";
    private const string HiddenPlaceholder = "<li hidden></li>";

    public static void Use(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<IHtmlGenerator, CspSafeHtmlGenerator>());

    public override TagBuilder? GenerateValidationSummary(ViewContext viewContext, bool excludePropertyErrors, string message, string headerTag, object htmlAttributes)
    {
        var summary = base.GenerateValidationSummary(viewContext, excludePropertyErrors, message, headerTag, htmlAttributes);
        if (summary is null || !summary.HasInnerHtml)
        {
            return summary;
        }

        using var writer = new StringWriter();
        summary.InnerHtml.WriteTo(writer, HtmlEncoder.Default);
        var html = writer.ToString();
        if (html.Contains(StyledPlaceholder, StringComparison.Ordinal))
        {
            summary.InnerHtml.Clear();
            summary.InnerHtml.AppendHtml(html.Replace(StyledPlaceholder, HiddenPlaceholder, StringComparison.Ordinal));
        }

        return summary;
    }
}
