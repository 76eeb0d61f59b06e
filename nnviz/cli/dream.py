"""``nnviz dream``: the image that excites one neuron most, found by gradient ascent on the pixels."""

from __future__ import annotations

from . import arguments, pictures


def add_parser(commands) -> None:
    from ..core.dreams import DreamSettings

    defaults = DreamSettings()
    dream = commands.add_parser("dream", help="the image a neuron likes best, as a 28x28 PNG",
                                description="Gradient ascent on the pixels: the image that excites one neuron most.")
    pictures.add_common_options(dream)
    dream.add_argument("--neuron", required=True, metavar="NEURON",
                       help="hidden1:5 (neuron 5 of hidden layer 1, counting from 1) or output:2 (the digit 2's output)")
    dream.add_argument("--steps", type=arguments.non_negative_int, default=defaults.steps,
                       help=f"steps of gradient ascent (default: {defaults.steps})")
    dream.add_argument("--step-size", type=arguments.positive_float, default=defaults.step_size, metavar="SIZE",
                       help=f"how far the pixels move a step, root mean square (default: {defaults.step_size:g})")
    dream.add_argument("--smooth", type=arguments.non_negative_float, default=0.0, metavar="λ",
                       help="penalty on the image's total variation, for a smoother dream (try 0.01 to 0.05; default: 0)")
    dream.add_argument("--small", type=arguments.non_negative_float, default=0.0, metavar="λ",
                       help="penalty on the pixels' squares, for a darker dream (try 0.05; default: 0)")
    dream.add_argument("--start", default="grey", metavar="FROM",
                       help="grey, static (from --seed), or an example such as test:2 (counting from 1) (default: grey)")
    dream.add_argument("--seed", type=int, default=0, help="the seed of the static to start from (default: 0)")
    dream.set_defaults(run=run)


def run(args) -> int:
    from ..animation.options import Example
    from ..core.dreams import DreamSettings, dream
    from ..core.naming import neuron_name, neuron_reference, parse_neuron

    pictures.check_targets(args.out, args.json)
    from_example = args.start not in ("grey", "static")
    network, shape, class_names, dataset = pictures.load(args, needs_data=from_example)
    layer, k = parse_neuron(args.neuron, network.sizes, class_names)
    start = None
    if from_example:
        example = Example.parse(args.start, dataset)
        start = dataset.split(example.split).inputs(example.index, float)
    settings = DreamSettings(args.steps, args.step_size, args.smooth, args.small,
                             "grey" if from_example else args.start, args.seed)
    result = dream(network, layer, k, settings, start, shape)
    files = {args.out: pictures.png(result.image, shape)}
    if args.json:
        files[args.json] = pictures.json_bytes({
            "neuron": neuron_reference(network.sizes, layer, k, class_names),
            "target": neuron_reference(network.sizes, layer, k, class_names),
            "steps": result.steps,
            "activation": result.activation,
            "activation_at_start": float(result.activations[0]),
            "outputs": pictures.numbers(result.outputs),
            "start": args.start,
            "settings": {"step_size": settings.step_size, "smooth": settings.smoothness, "small": settings.smallness,
                         "seed": settings.seed},
            "image": str(args.out),
        })
    pictures.write_files(files)
    print(f"Saved {args.out}: the dream of {neuron_name(network.sizes, layer, k, class_names)}, "
          f"activation {result.activations[0]:.3f} → {result.activation:.3f} after {result.steps} steps")
    return 0
