import { render } from 'preact';
import '../shared/ui/theme.css';
import { Options } from './options';

render(<Options />, document.getElementById('app')!);
