// swift-tools-version: 6.0
import PackageDescription

/// DVS: a small interpreted language for direct vision supervision research.
/// Targets follow docs/DESIGN.md §2; lower targets never import higher ones.
let package = Package(
    name: "DVS",
    products: [
        .executable(name: "dvs", targets: ["dvs"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng"),
        .systemLibrary(name: "CFreeType", path: "Sources/CFreeType", pkgConfig: "freetype2"),
        // Libraries most runs never call are opened with dlopen on first use (see its header).
        .target(name: "CLibraryLoader", linkerSettings: [.linkedLibrary("dl")]),
        // ZeroMQ for the Jupyter kernel's sockets, opened on first use.
        .target(name: "CZeroMQ", dependencies: ["CLibraryLoader"]),
        // OpenSSL's libcrypto, opened on first use: HMAC-SHA256 for Jupyter
        // messages, SHA-256 of tokenizer files in shard manifests.
        .target(name: "CLibCrypto", dependencies: ["CLibraryLoader"]),
        // Cairo's drawing (charts), opened on first use.
        .target(name: "CCairo", dependencies: ["CLibraryLoader"]),
        // Graphviz's layout and rendering, opened on first use.
        .target(name: "CGraphviz", dependencies: ["CLibraryLoader"]),
        // OpenBLAS's sgemm, opened with dlopen on first use, on one thread (see its header).
        .target(name: "COpenBLAS", linkerSettings: [.linkedLibrary("dl")]),
        // Tesseract's C API, opened on first use.
        .target(name: "CTesseract", dependencies: ["CLibraryLoader"]),
        // POSIX file reading and writing shared by every layer (no DVS types).
        .target(name: "DVSFiles"),
        // Allocations that fail with an error instead of aborting (no DVS types).
        // malloc tuned for tensors when the program loads (C; no DVS types).
        .target(name: "DVSHeap"),
        .target(name: "DVSMemory", dependencies: ["DVSHeap"]),
        // Elementwise inner loops compiled per CPU generation (no DVS types).
        // sqrt without errno, so loops that take square roots vectorize.
        .target(name: "DVSKernels", cSettings: [.unsafeFlags(["-fno-math-errno"])]),
        .target(
            name: "DVSLang",
            dependencies: ["DVSFiles", "DVSMemory"],
            // The evaluator's state is only touched by the thread running DVS code;
            // dynamic exclusivity checks cost ~12% of call-heavy programs.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .target(
            name: "DVSTensor",
            dependencies: ["DVSFiles", "DVSMemory", "DVSKernels", "COpenBLAS"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .target(
            name: "DVSVision",
            dependencies: ["DVSFiles", "DVSTensor", "CPNG", "CFreeType", "CTesseract"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .target(name: "DVSData", dependencies: ["DVSFiles", "DVSTensor", "DVSVision", "CLibCrypto"]),
        .target(name: "DVSRender", dependencies: ["DVSFiles", "DVSTensor", "DVSVision", "CGraphviz", "CCairo"]),
        .target(
            name: "DVSRuntime", dependencies: ["DVSFiles", "DVSLang", "DVSTensor", "DVSVision", "DVSData", "DVSRender"],
            // The built-in library runs on the evaluator's thread, as DVSLang does.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // The Jupyter kernel and .ipynb files: the messaging protocol over ZeroMQ, signed with HMAC-SHA256.
        .target(name: "DVSJupyter", dependencies: ["DVSFiles", "DVSLang", "DVSRuntime", "DVSRender", "DVSVision", "DVSTensor", "CZeroMQ", "CLibCrypto"]),
        .executableTarget(
            name: "dvs",
            dependencies: [
                "DVSRuntime", "DVSLang", "DVSFiles", "DVSData", "DVSVision", "DVSTensor", "DVSJupyter", "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DVSFilesTests", dependencies: ["DVSFiles"]),
        .testTarget(name: "DVSLangTests", dependencies: ["DVSLang"]),
        .testTarget(name: "DVSTensorTests", dependencies: ["DVSTensor", "DVSMemory"]),
        .testTarget(name: "DVSVisionTests", dependencies: ["DVSVision", "DVSTensor"], exclude: ["Fixtures"]),
        .testTarget(name: "DVSDataTests", dependencies: ["DVSData", "DVSVision"]),
        // Snapshots/ holds expected DOT text, read through #filePath.
        .testTarget(name: "DVSRenderTests", dependencies: ["DVSRender", "DVSTensor", "CCairo"], exclude: ["Snapshots"]),
        .testTarget(name: "DVSRuntimeTests", dependencies: ["DVSRuntime", "DVSLang", "DVSRender"]),
        .testTarget(name: "DVSJupyterTests", dependencies: ["DVSJupyter", "DVSFiles"]),
    ],
    // Swift 5 mode: the interpreter is single-threaded by design and talks to
    // C globals (stdout, readline) that Swift 6's strict checking rejects.
    swiftLanguageModes: [.v5]
)
