/**
 * The site theme: VitePress's default theme plus the components the pages use (diagrams,
 * the cost calculator, benchmark results, the live demo), registered once here.
 */
import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import BenchResults from './components/bench-results.vue';
import ConvDiagram from './components/conv-diagram.vue';
import CostCalculator from './components/cost-calculator.vue';
import LiveDemo from './components/live-demo.vue';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('BenchResults', BenchResults);
    app.component('ConvDiagram', ConvDiagram);
    app.component('CostCalculator', CostCalculator);
    app.component('LiveDemo', LiveDemo);
  },
} satisfies Theme;
