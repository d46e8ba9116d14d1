import DVSFiles
import DVSTensor
import Foundation

extension Chart {
    /// The chart as a PNG file (8-bit RGBA, `width × height` pixels) or an SVG
    /// document (UTF-8). Throws a `ChartError` for bad input (see `validate`).
    public func render(format: ChartFormat) throws(ChartError) -> [UInt8] {
        try validate()
        let canvas = try CairoCanvas(format: format, width: width, height: height)
        let renderer = ChartRenderer(chart: self, canvas: canvas)
        renderer.draw()
        let bytes = try canvas.finish()
        if format == .svg {
            return SVGTextLayer.insert(into: bytes, texts: canvas.texts, title: title)
        }
        return bytes
    }

    /// Renders and writes the chart to `path`, in the format its extension
    /// names (.png or .svg, any case), through `AtomicFile`: a regular file
    /// is replaced atomically (it appears whole or not at all).
    public func write(to path: String) throws(ChartError) {
        let ext = (path as NSString).pathExtension
        guard let format = ChartFormat(fileExtension: ext) else {
            let shown = ext.isEmpty ? "it has no extension" : "'.\(ext)' is not supported"
            throw ChartError("chart: cannot tell the format of '\(path)': \(shown); use a .png or .svg file name")
        }
        let bytes = try render(format: format)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw ChartError(error)
        }
    }
}
