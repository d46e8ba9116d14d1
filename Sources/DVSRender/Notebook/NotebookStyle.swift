/// The notebook page's stylesheet, inlined into every page. Light by
/// default, dark on screens that ask for it; one column on narrow screens;
/// on paper everything folded is shown and cells are kept whole.
enum NotebookStyle {
    static let css = """
        :root{--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--code:#f6f8fa;--link:#0969da;\
        --err-bg:#fff1f1;--err-fg:#a0111f;--err-line:#f4b6bd;--out:#c2410c;\
        --kw:#cf222e;--lit:#0550ae;--num:#0550ae;--str:#0a3069;--esc:#953800;--ip:#cf222e;--com:#6e7781;--fn:#8250df}
        @media screen and (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;\
        --code:#161b22;--link:#4493f8;--err-bg:#25171c;--err-fg:#ffa198;--err-line:#6e2b30;--out:#f0883e;\
        --kw:#ff7b72;--lit:#79c0ff;--num:#79c0ff;--str:#a5d6ff;--esc:#ffa657;--ip:#ff7b72;--com:#8b949e;--fn:#d2a8ff}}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
        body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
        .dvs-notebook{max-width:62rem;margin:0 auto;padding:1rem}
        a{color:var(--link)}
        pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace;font-size:.875rem}
        pre{margin:0;padding:.5rem .75rem;overflow-x:auto;line-height:1.45;tab-size:4}
        .dvs-header h1{margin:.5rem 0 .25rem;font-size:1.75rem;line-height:1.25;overflow-wrap:anywhere}
        .dvs-summary{margin:0 0 1.5rem;color:var(--muted);font-size:.875rem}
        .dvs-cell{margin:0 0 1.25rem;break-inside:avoid;page-break-inside:avoid}
        .dvs-input,.dvs-output{display:grid;grid-template-columns:4.5rem minmax(0,1fr);column-gap:.75rem;align-items:start}
        .dvs-output{margin-top:.25rem}
        .dvs-gutter{padding-top:.6rem;text-align:right;color:var(--muted);font:.75rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:nowrap}
        .dvs-prompt,.dvs-time,.dvs-status{display:block}
        .dvs-status{color:var(--err-fg);font-weight:600}
        .dvs-value .dvs-prompt{color:var(--out)}
        .dvs-failed .dvs-input .dvs-prompt{color:var(--err-fg)}
        .dvs-source{background:var(--code);border:1px solid var(--line);border-radius:6px}
        .dvs-stopped .dvs-source{border-color:var(--err-line);border-left:3px solid var(--err-fg)}
        .dvs-body{min-width:0}
        .dvs-stdout .dvs-body{border-left:3px solid var(--line)}
        .dvs-error .dvs-body{background:var(--err-bg);color:var(--err-fg);border:1px solid var(--err-line);border-radius:6px}
        .dvs-body>pre:not(:last-child){padding-bottom:0}
        .dvs-more>summary{cursor:pointer;padding:.2rem .75rem;color:var(--link);font-size:.8rem}
        .dvs-more>pre{padding-top:0}
        .dvs-figure{margin:.25rem 0}
        .dvs-figure img{display:block;max-width:100%;height:auto}
        .dvs-figure figcaption{margin-top:.25rem;color:var(--muted);font-size:.85rem}
        .dvs-pixelated{image-rendering:pixelated}
        .dvs-dim{white-space:nowrap}
        .dvs-markdown{padding-left:5.25rem}
        .dvs-text>:first-child{margin-top:0}
        .dvs-text>:last-child{margin-bottom:0}
        .dvs-text pre{background:var(--code);border-radius:6px}
        .dvs-text :not(pre)>code{background:var(--code);padding:.1em .3em;border-radius:4px}
        .dvs-text blockquote{margin:0 0 1rem;padding:0 1rem;border-left:3px solid var(--line);color:var(--muted)}
        .dvs-text hr{border:0;border-top:1px solid var(--line)}
        .dvs-text img{max-width:100%}
        .dvs-footer{margin-top:2rem;padding-top:.5rem;border-top:1px solid var(--line);color:var(--muted);font-size:.8rem}
        .hl-kw{color:var(--kw);font-weight:600}.hl-lit{color:var(--lit)}.hl-num{color:var(--num)}.hl-str{color:var(--str)}
        .hl-esc{color:var(--esc)}.hl-ip{color:var(--ip)}.hl-spec{color:var(--esc)}.hl-com{color:var(--com);font-style:italic}.hl-fn{color:var(--fn)}
        @media (max-width:40rem){
        .dvs-notebook{padding:.75rem}
        .dvs-input,.dvs-output{grid-template-columns:minmax(0,1fr)}
        .dvs-gutter{padding:0 0 .15rem;text-align:left}
        .dvs-gutter:empty{display:none}
        .dvs-prompt,.dvs-time,.dvs-status{display:inline}
        .dvs-time::before,.dvs-status::before{content:" · "}
        .dvs-markdown{padding-left:0}
        }
        @media print{
        body{font-size:11pt}
        .dvs-notebook{max-width:none;padding:0}
        pre{overflow:visible;white-space:pre-wrap;overflow-wrap:anywhere}
        .dvs-input,.dvs-figure{break-inside:avoid;page-break-inside:avoid}
        .dvs-more>summary{display:none}
        .dvs-more::details-content{content-visibility:visible;display:block}
        a{color:inherit}
        }

        """
}
