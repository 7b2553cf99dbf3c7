/** The site's main pages: each is loaded, checked for errors and screenshotted by the e2e tests. */
export const mainPages: readonly { readonly path: string; readonly name: string; readonly heading: string }[] = [
  { path: '/', name: 'home', heading: 'sepconv' },
  { path: '/guide/', name: 'guide', heading: 'What depthwise separable convolution is' },
  { path: '/guide/convolutions', name: 'guide-convolutions', heading: 'Three convolutions' },
  { path: '/guide/cost', name: 'guide-cost', heading: 'What it costs' },
  { path: '/guide/getting-started', name: 'guide-getting-started', heading: 'Getting started' },
  { path: '/guide/layout', name: 'guide-layout', heading: 'Layouts and padding' },
  { path: '/packages/', name: 'packages', heading: 'Packages' },
  { path: '/packages/tensor', name: 'packages-tensor', heading: '@sepconv/tensor' },
  { path: '/packages/cost', name: 'packages-cost', heading: '@sepconv/cost' },
  { path: '/packages/cpu', name: 'packages-cpu', heading: '@sepconv/cpu' },
  { path: '/packages/webgpu', name: 'packages-webgpu', heading: '@sepconv/webgpu' },
  { path: '/packages/mobilenet', name: 'packages-mobilenet', heading: '@sepconv/mobilenet' },
  { path: '/api/', name: 'api', heading: 'API reference' },
  { path: '/calculator', name: 'calculator', heading: 'Cost calculator' },
  { path: '/results', name: 'results', heading: 'Benchmark results' },
  { path: '/demo', name: 'demo', heading: 'Live demo' },
];
