import { render } from 'preact';
import { connectToBackground } from '../../utils/background-client';
import { App } from './App';
import '../../assets/base.css';
import './style.css';

render(<App client={connectToBackground()} />, document.getElementById('app')!);
