/**
 * The site theme: VitePress's default theme plus the guide's diagram component, used on many
 * pages. The heavy components (calculator, results, demo, which bring @sepconv/cost, Plot and
 * the WebGPU backend) are imported by their own pages only, so other pages stay light.
 */
import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import ConvDiagram from './components/conv-diagram.vue';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('ConvDiagram', ConvDiagram);
  },
} satisfies Theme;
