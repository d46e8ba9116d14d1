/// The file formats a `Chart` renders to.
public enum ChartFormat: String, CaseIterable, Sendable {
    /// A PNG image (8-bit RGBA, the chart's size in pixels).
    case png
    /// An SVG document (UTF-8) sized in CSS px; text is drawn as glyph
    /// outlines plus an invisible, searchable text layer (SVGTextLayer.swift).
    case svg

    /// The format of a file name's extension (`png`, `svg`, any case); nil for others.
    public init?(fileExtension ext: String) {
        self.init(rawValue: ext.lowercased())
    }
}
