import type { Decorator, Preview } from '@storybook/react-vite';
import '../packages/progress-panel/src/styles.css';
import './preview.css';

type ThemeName = 'light' | 'dark';

// The theme global drives `data-theme` on <html>, so the page background and the components
// switch together; stories pin it with `globals: { theme: 'dark' }`.
const withTheme: Decorator = (Story, context) => {
  const theme: ThemeName = context.globals.theme === 'dark' ? 'dark' : 'light';
  document.documentElement.setAttribute('data-theme', theme);
  return (
    <div data-theme={theme} className="sb-canvas">
      <Story />
    </div>
  );
};

const preview: Preview = {
  decorators: [withTheme],
  globalTypes: {
    theme: {
      description: 'Colour theme of the components',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
    backgrounds: { disable: true },
    // Any axe violation fails the story's test (in the UI and in `vitest --project storybook`).
    a11y: { test: 'error' },
  },
};

export default preview;
