import { defineConfig } from 'wxt';
export default defineConfig({ srcDir: '.', entrypointsDir: 'entrypoints', imports: false });
