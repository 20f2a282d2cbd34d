using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Infrastructure;

public static class WebSetup
{
    public static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public static void AddLotseWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(German);
            o.SupportedCultures = [German, English];
            o.SupportedUICultures = [German, English];
            // German first: the browser's Accept-Language does not switch the UI, only the user's own choice does.
            o.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider { CookieName = CookieSecurity.Language }];
        });

        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                o.Conventions.AuthorizeFolder("/");
                o.Conventions.AllowAnonymousToFolder("/Errors");
            })
            .AddViewLocalization(LanguageViewLocationExpanderFormat.Suffix)
            .AddDataAnnotationsLocalization(o =>
                o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        services.AddSingleton<IConfigureOptions<MvcOptions>, GermanBindingMessages>();

        // German text stays readable in the HTML (ä, not &#xE4;); markup characters are still encoded.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddSignalR();
        builder.AddLotseRedis();
        services.AddProblemDetails();
        services.AddAntiforgery(o => o.HeaderName = "RequestVerificationToken");
        services.Configure<SupportContact>(builder.Configuration.GetSection("Support"));
    }

    public static void UseLotseWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Never a stack trace or a raw error page: exceptions and bare status codes get the German error page.
        app.UseExceptionHandler("/fehler/500");
        app.UseStatusCodePagesWithReExecute("/fehler/{0}");
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseAuthentication();
        // Staff who have not set up the second factor reach only its enrolment (issue 7, Features/Security).
        Features.Security.AccountSecuritySetup.UseLotseAccountSecurity(app);
        app.UseAuthorization();
        app.UseLotseRateLimiting();
        app.UseAntiforgery();
    }

    public static void MapLotseWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapStaticAssets();
        app.MapRazorPages().WithStaticAssets();

        // The user's own language choice, kept in the culture cookie; only local return paths are followed.
        app.MapGet("/sprache/{language}", (string language, string? zurueck, HttpContext http) =>
        {
            var culture = language == "en" ? English : German;
            http.Response.Cookies.Append(
                CookieSecurity.Language,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                CookieSecurity.Options(TimeSpan.FromDays(365)));
            var target = zurueck is { Length: > 0 } && zurueck[0] == '/' && !zurueck.StartsWith("//", StringComparison.Ordinal) && !zurueck.StartsWith("/\\", StringComparison.Ordinal) ? zurueck : "/";
            return TypedResults.LocalRedirect(target);
        }).AllowAnonymous();
    }

    /// <summary>Model-binding messages (e.g. "abc" for a number) in the UI language, naming the field.</summary>
    private sealed class GermanBindingMessages(IStringLocalizerFactory factory) : IConfigureOptions<MvcOptions>
    {
        public void Configure(MvcOptions options)
        {
            var t = factory.Create(typeof(SharedResource));
            var m = options.ModelBindingMessageProvider;
            m.SetAttemptedValueIsInvalidAccessor((_, field) => t["Der Wert im Feld „{0}“ ist ungültig.", field]);
            m.SetValueIsInvalidAccessor(_ => t["Der eingegebene Wert ist ungültig."]);
            m.SetValueMustBeANumberAccessor(field => t["Bitte geben Sie im Feld „{0}“ eine Zahl ein.", field]);
            m.SetMissingBindRequiredValueAccessor(field => t["Bitte füllen Sie das Feld „{0}“ aus.", field]);
            m.SetMissingKeyOrValueAccessor(() => t["Bitte füllen Sie alle Pflichtfelder aus."]);
            m.SetMissingRequestBodyRequiredValueAccessor(() => t["Die Anfrage enthielt keine Daten."]);
            m.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => t["Der eingegebene Wert ist ungültig."]);
            m.SetNonPropertyUnknownValueIsInvalidAccessor(() => t["Der eingegebene Wert ist ungültig."]);
            m.SetUnknownValueIsInvalidAccessor(field => t["Der Wert im Feld „{0}“ ist ungültig.", field]);
            m.SetValueMustNotBeNullAccessor(field => t["Bitte füllen Sie das Feld „{0}“ aus.", field]);
            m.SetNonPropertyValueMustBeANumberAccessor(() => t["Bitte geben Sie eine Zahl ein."]);
        }
    }
}

/// <summary>The operating organisation's support contact, shown in every page footer (configured per installation).</summary>
public sealed class SupportContact
{
    public string Name { get; set; } = "";

    public string Phone { get; set; } = "";

    public string Hours { get; set; } = "";

    public string Email { get; set; } = "";
}
