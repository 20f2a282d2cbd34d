namespace Lotse.Web;

/// <summary>
/// Marker for the one shared string table. Keys are the German UI texts themselves, so German needs no
/// resource file; Resources/SharedResource.en.resx holds the English texts.
/// </summary>
public sealed class SharedResource;
