import { render } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('renders its guest sign-in page (the demo signs in as guest)', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
            techdocs: {
              storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
            },
          },
          context: 'test',
        },
      ] as any,
    };

    const rendered = render(App.createRoot());

    expect(
      await rendered.findByText(/Enter as a Guest User/, undefined, {
        timeout: 15_000,
      }),
    ).toBeInTheDocument();
    expect(rendered.getByText('Test')).toBeInTheDocument();
  }, 30_000);
});
