// Chromium's flags for the headless tests and benches (docs/web.md): software WebGL through SwiftShader.
export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--use-angle=swiftshader", "--enable-unsafe-swiftshader"];
