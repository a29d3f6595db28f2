import './zod-without-eval.ts';
import '@fontsource/anton/400.css';
import '@fontsource/noto-sans/700.css';
import '@fontsource/noto-sans-sc/700.css';
import '@fontsource/noto-sans-arabic/700.css';
import '@fontsource/noto-color-emoji/400.css';
import './styles.css';
import { render } from 'preact';
import { App } from './components/App.tsx';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
