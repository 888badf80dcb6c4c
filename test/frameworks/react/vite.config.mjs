import react from '@vitejs/plugin-react';

export default { base: './', logLevel: 'warn', plugins: [react()] };
